import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { utf8Problem } from '../utf8.js';

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/** The media type and charset of a Content-Type header, lower-cased (`null` without one). */
export const mediaType = (header: string | null): { type: string; exact: string; charset: string | undefined } | null => {
  if (header === null) return null;
  const [raw = '', ...params] = header.split(';');
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  return { type: raw.trim().toLowerCase(), exact: raw.trim(), charset };
};

/** The charset a Content-Type declares when it is not UTF-8 (a body in it is refused, not read as UTF-8). */
export const notUtf8Charset = (m: { charset: string | undefined }): string | undefined =>
  m.charset !== undefined && m.charset !== 'utf-8' && m.charset !== 'utf8' ? m.charset : undefined;

/** The 415 message for a body in a charset other than UTF-8, naming it. */
export const charsetRefusal = (what: string, charset: string): string =>
  `the body must be ${what} in UTF-8; charset ${charset} is not read`;

/**
 * A request body as text, refused (400 BAD_USER_INPUT, naming the first bad byte) when it is not UTF-8: decoding
 * would put U+FFFD in place of each bad sequence, so two distinct keys could be read as the same one.
 */
const utf8Text = async (r: Request): Promise<string> => {
  const read = (await r.arrayBuffer()) as ArrayBuffer | Uint8Array;
  const bytes = read instanceof Uint8Array ? read : new Uint8Array(read);
  const problem = utf8Problem(bytes);
  if (problem) throw new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
};

/** Yoga's JSON body parser, with its answers to a body that is not JSON or not an object (400, no quote of the body), reading only UTF-8. */
const parseJson = async (r: Request): Promise<Record<string, unknown>> => {
  let body: unknown;
  try {
    body = JSON.parse(await utf8Text(r));
  } catch (e) {
    if (e instanceof GraphQLError) throw e;
    throw badRequest('POST body sent invalid JSON.');
  }
  if (body === null || typeof body !== 'object')
    throw badRequest(`POST body is expected to be object but received ${body === null ? 'null' : typeof body}`);
  return body as Record<string, unknown>;
};

/** Yoga's `application/graphql` parser (the body is the document), reading only UTF-8. */
const parseGraphQL = async (r: Request): Promise<Record<string, unknown>> => ({ query: await utf8Text(r) });

/** What Yoga reads as JSON (`application/graphql+json` too) and as a bare document. */
const PARSERS: Readonly<Record<string, (r: Request) => Promise<Record<string, unknown>>>> = {
  'application/json': parseJson,
  'application/graphql+json': parseJson,
  'application/graphql': parseGraphQL,
};

/**
 * JSON (and `application/graphql`) bodies as media types are (RFC 9110, RFC 8259): matched whatever their case
 * (`APPLICATION/JSON`, which Yoga's parser refused with 415), and read only as UTF-8. A body declared in another
 * charset (`charset=utf-16`) is refused with 415 naming it; a body that is not valid UTF-8 is refused with 400
 * naming the first bad byte: neither is read into other text (Yoga's parsers put U+FFFD in place of bad bytes).
 * POSTs only; the CSRF check (useCSRFPrevention) already compares the type case-insensitively. The parser set
 * here is the one the node front recognises as the JSON parser (node-front.ts): it must stay one function.
 * Placed before useBodyLimit, which wraps the parser chosen here for a body without a length.
 */
export const useJsonMediaType = (): Plugin => ({
  onRequestParse({ request, setRequestParser }) {
    if (request.method !== 'POST') return;
    const m = mediaType(request.headers.get('content-type'));
    if (!m || !Object.hasOwn(PARSERS, m.type)) return;
    const charset = notUtf8Charset(m);
    if (charset !== undefined) {
      const err = new GraphQLError(charsetRefusal(m.type === 'application/graphql' ? 'a GraphQL document' : 'JSON', charset), {
        extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } },
      });
      setRequestParser(() => Promise.reject(err));
      return;
    }
    setRequestParser(PARSERS[m.type]!);
  },
});

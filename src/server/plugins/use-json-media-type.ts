import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/** The media type and charset of a Content-Type header, lower-cased (`null` without one). */
const mediaType = (header: string | null): { type: string; exact: string; charset: string | undefined } | null => {
  if (header === null) return null;
  const [raw = '', ...params] = header.split(';');
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  return { type: raw.trim().toLowerCase(), exact: raw.trim(), charset };
};

/**
 * `application/json` as media types are (RFC 9110, RFC 8259): matched whatever its case (`APPLICATION/JSON`,
 * which Yoga's parser refused with 415), and read only as UTF-8: a body declared in another charset
 * (`charset=utf-16`) is refused with 415 naming it, not read as UTF-8 into other text. JSON POSTs only; the
 * CSRF check (useCSRFPrevention) already compares the type case-insensitively.
 */
export const useJsonMediaType = (): Plugin => ({
  onRequestParse({ request, setRequestParser }) {
    if (request.method !== 'POST') return;
    const m = mediaType(request.headers.get('content-type'));
    if (m?.type !== 'application/json') return;
    if (m.charset !== undefined && m.charset !== 'utf-8' && m.charset !== 'utf8') {
      const err = new GraphQLError(`the body must be JSON in UTF-8; charset ${m.charset} is not read`, {
        extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } },
      });
      setRequestParser(() => Promise.reject(err));
      return;
    }
    // Yoga's own parser takes the lower-case spelling; any other casing is read the same way, with the same
    // answers to a body that is not JSON, or not a JSON object or batch (400, no quote of the body).
    if (m.exact !== 'application/json')
      setRequestParser(async (r: Request) => {
        let body: unknown;
        try {
          body = JSON.parse(await r.text());
        } catch {
          throw badRequest('POST body sent invalid JSON.');
        }
        if (body === null || typeof body !== 'object') throw badRequest(`POST body is expected to be object but received ${typeof body}`);
        return body as Record<string, unknown>;
      });
  },
});

import type { Plugin } from 'graphql-yoga';
import type { ServingRuntime } from '../../graphql/runtime.js';
import { getRequestId } from './use-request-id.js';
import { getPrincipal, hasScope } from '../principal.js';
import { IdempotencyKeyReusedError, PushStoreError, PushValidationError, pushRows, type PushTarget } from '../../online/push.js';
import { monitoringEvents } from '../../monitoring/events.js';
import { refusalResponse } from '../error-log.js';
import { utf8Problem } from '../utf8.js';
import { charsetRefusal, mediaType, notUtf8Charset } from './use-json-media-type.js';

export interface PushRouteOptions {
  readonly rt: ServingRuntime;
  /** Path prefix; the view name follows it. Default `/push/`. */
  readonly prefix?: string;
  /** Largest accepted body in bytes (413 above it). Default 10 MiB. */
  readonly maxBodyBytes?: number;
  /** Where a failure's full error goes (the response carries no internals), with the request's id. */
  readonly log?: (requestId: string, error: unknown) => void;
}

const TARGETS = new Set<PushTarget>(['ONLINE', 'OFFLINE', 'ONLINE_AND_OFFLINE']);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Read at most `limit` bytes of the body, failing with 413 as soon as it is exceeded, and 400 when it is not UTF-8. */
const readBody = async (request: Request, limit: number): Promise<string> => {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new HttpError(413, `body of ${declared} bytes is over the ${limit}-byte limit`);
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError(413, `body is over the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  // Decoding bad bytes would replace each with U+FFFD: two Latin-1 keys of one length would be one key.
  const problem = utf8Problem(bytes);
  if (problem) throw new HttpError(400, problem);
  return bytes.toString('utf8');
};

/**
 * The offset in `text` where it stops being JSON (RFC 8259): the first character no JSON text could have there,
 * `text.length` when it ends early, -1 when it is JSON or too deeply nested to scan. Only run on a body that
 * JSON.parse refused: its message can quote the body (`Unexpected token 'S', "[{"custo"...`), so it is not shown.
 */
const jsonErrorOffset = (text: string): number => {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : fail());
  const string = () => {
    expect('"');
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c !== 0x5c) {
        i++;
        continue;
      }
      i++;
      if (i < text.length && '"\\/bfnrt'.includes(text[i]!)) i++;
      else if (text[i] === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
      else fail();
    }
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          string();
          ws();
          expect(':');
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else return void expect(close);
      }
    }
    if (c === '"') return void string();
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail();
    i = NUMBER.lastIndex;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (e) {
    return typeof e === 'number' ? e : -1;
  }
};

/** Where a JSON text stops being JSON, in words: "at line L, column C", or that it ends early. */
const syntaxErrorAt = (text: string): string => {
  const at = jsonErrorOffset(text);
  if (at < 0) return 'it is not JSON';
  if (at >= text.length) return 'it ends before the JSON value does';
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
  return `at line ${line}, column ${at - lineStart + 1}`;
};

/** A JSON array of rows, or NDJSON (one row per line). */
const parseRows = (text: string, ndjson: boolean): unknown[] => {
  const trimmed = text.trim();
  if (!trimmed) throw new HttpError(400, 'empty body: send a JSON array of rows or NDJSON');
  if (ndjson || (!trimmed.startsWith('[') && trimmed.includes('\n'))) {
    return text.split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        throw new HttpError(400, `line ${i + 1} is not valid JSON (${syntaxErrorAt(line).replace(/^at line 1, /, 'at ')})`, {
          line: i + 1,
        });
      }
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, `body is not valid JSON (${syntaxErrorAt(text)})`);
  }
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null) return [parsed];
  throw new HttpError(400, 'body must be a JSON array of rows, one row object, or NDJSON');
};

/** The content types a push is read as: JSON (an array of rows, or one row) and NDJSON. */
const BODY_TYPES: Readonly<Record<string, 'json' | 'ndjson'>> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
};

/** The code of an error body that does not give its own, by HTTP status. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'REQUEST_ENTITY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * `POST /push/<view>` for stream processors: JSON array or NDJSON of rows with definition field names
 * (`driver_id`, `event_timestamp`, `conv_rate`), `?to=ONLINE|OFFLINE|ONLINE_AND_OFFLINE` (default both).
 * 404 names the known views (with API keys, those the key may push to), 400 the row and field (or the first byte
 * that is not UTF-8, or where the JSON breaks), 405 another method, 413 an oversized body, 415 a body that is not
 * JSON or NDJSON in UTF-8; nothing is written on error. Every error body is `{ error, code, requestId, … }`.
 * An `Idempotency-Key` header makes a retry write nothing twice; the same key with another body is a 422.
 * A store that is down is a 503 with `code` and `offlineCommitted` (docs/writes.md).
 */
export const usePushRoute = (opts: PushRouteOptions): Plugin => {
  const prefix = opts.prefix ?? '/push/';
  const limit = opts.maxBodyBytes ?? 10 * 1024 * 1024;
  const log = opts.log ?? ((id: string, e: unknown) => console.error(`push failed (request ${id}):`, e));
  const views = new Map(opts.rt.repo.views.filter((v) => v.online).map((v) => [v.name, v]));
  // Aggregation views take raw events (docs/aggregations.md).
  const aggregations = new Map(opts.rt.repo.aggregationViews.map((a) => [a.name, a]));
  for (const a of aggregations.values()) views.set(a.name, a.events);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(prefix)) return;
      // Every error body has a code (the one given, else its status's) and the request id (docs/writes.md, "Error
      // codes"). A refused body (413) may still be arriving: the connection closes after the answer rather than
      // read the rest of it, which could keep a shutdown waiting for a request that never ends (a chunked body).
      const fail = (status: number, message: string, details: { code?: string; [k: string]: unknown } = {}, headers = {}) => {
        const { code = STATUS_CODES[status] ?? 'BAD_REQUEST', ...rest } = details;
        endResponse(
          refusalResponse(fetchAPI.Response, {
            status,
            message,
            code,
            requestId: getRequestId(request),
            plain: true,
            details: rest,
            headers: status === 413 ? { connection: 'close', ...headers } : headers,
          }),
        );
      };
      // Only POST: a DELETE or PUT is told so (405, Allow), whatever the view.
      if (request.method !== 'POST')
        return fail(405, `${request.method} is not allowed on ${prefix}<view>: use POST`, {}, { allow: 'POST' });
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice(prefix.length));
      } catch {
        return fail(400, 'the view name in the URL is not valid percent-encoding');
      }
      const view = views.get(name);
      // With API keys, the views named are those the caller may push to: view names are not for every key.
      if (!view) {
        const principal = getPrincipal(request);
        const listed = [...views.keys()].filter((v) => !principal || hasScope(request, `push:${v}`));
        return fail(404, `unknown feature view "${name}"`, { views: listed });
      }
      const type = request.headers.get('content-type');
      const media = mediaType(type);
      const kind = media && Object.hasOwn(BODY_TYPES, media.type) ? BODY_TYPES[media.type] : undefined;
      if (!media || !kind)
        return fail(
          415,
          `POST ${prefix}<view> takes JSON (content-type: application/json) or NDJSON (application/x-ndjson)${type ? `, not ${JSON.stringify(type)}` : ''}`,
        );
      const charset = notUtf8Charset(media);
      if (charset !== undefined) return fail(415, charsetRefusal(kind === 'json' ? 'JSON' : 'NDJSON', charset));
      const to = (url.searchParams.get('to') ?? 'ONLINE_AND_OFFLINE').toUpperCase() as PushTarget;
      if (!TARGETS.has(to)) return fail(400, `to must be one of ${[...TARGETS].join(', ')}`);
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255))
        return fail(400, 'Idempotency-Key must be 1 to 255 characters');
      return (async () => {
        try {
          const rows = parseRows(await readBody(request, limit), kind === 'ndjson');
          const aggregation = aggregations.get(name);
          const result = await pushRows(
            { offline: opts.rt.offline, online: opts.rt.online, project: opts.rt.repo.project },
            view,
            rows,
            to,
            {
              idempotencyKey,
              ...(aggregation ? { aggregation } : {}),
            },
          );
          endResponse(new fetchAPI.Response(JSON.stringify(result), { status: 200, headers: { 'content-type': 'application/json' } }));
        } catch (err) {
          // Categorised by origin (docs/writes.md): the caller's input, a store that is down, or our bug.
          if (err instanceof HttpError) fail(err.status, err.message, err.extra);
          else if (err instanceof PushValidationError)
            fail(400, err.message, { code: 'BAD_USER_INPUT', problems: err.problems, problemCount: err.problemCount });
          else if (err instanceof IdempotencyKeyReusedError) fail(422, err.message, { code: 'BAD_USER_INPUT' });
          else if (err instanceof PushStoreError) {
            // The driver's message carries host:port or SQL: it goes to the log only, once — as a failed push by
            // the monitoring logger when it listens (docs/monitoring.md), else by the server's error log.
            if (err.code !== 'BAD_USER_INPUT') {
              if (monitoringEvents.listenerCount('pushFailed') > 0)
                monitoringEvents.emit('pushFailed', { view: name, requestId: getRequestId(request), err });
              else log(getRequestId(request), err.cause ?? err);
            }
            fail(err.status, err.message, { code: err.code, offlineCommitted: err.offlineCommitted });
          } else {
            log(getRequestId(request), err);
            fail(500, `push to ${name} failed unexpectedly; see the server log`, { code: 'INTERNAL' });
          }
        }
      })();
    },
  };
};

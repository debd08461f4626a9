import type { Plugin } from 'graphql-yoga';
import type { ServingRuntime } from '../../graphql/runtime.js';
import { getRequestId } from './use-request-id.js';
import { getPrincipal, hasScope } from '../principal.js';
import { IdempotencyKeyReusedError, PushStoreError, PushValidationError, pushRows, type PushTarget } from '../../online/push.js';
import { monitoringEvents } from '../../monitoring/events.js';

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

/** Read at most `limit` bytes of the body, failing with 413 as soon as it is exceeded. */
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
  return Buffer.concat(chunks).toString('utf8');
};

/** A JSON array of rows, or NDJSON (one row per line). */
const parseRows = (text: string, contentType: string): unknown[] => {
  const trimmed = text.trim();
  if (!trimmed) throw new HttpError(400, 'empty body: send a JSON array of rows or NDJSON');
  if (contentType.includes('ndjson') || (!trimmed.startsWith('[') && trimmed.includes('\n'))) {
    return trimmed.split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        throw new HttpError(400, `line ${i + 1} is not valid JSON`, { line: i + 1 });
      }
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (err) {
    throw new HttpError(400, `body is not valid JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null) return [parsed];
  throw new HttpError(400, 'body must be a JSON array of rows, one row object, or NDJSON');
};

/** The code of an error body that does not give its own, by HTTP status. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'REQUEST_ENTITY_TOO_LARGE',
};

/**
 * `POST /push/<view>` for stream processors: JSON array or NDJSON of rows with definition field names
 * (`driver_id`, `event_timestamp`, `conv_rate`), `?to=ONLINE|OFFLINE|ONLINE_AND_OFFLINE` (default both).
 * 404 names the known views (with API keys, those the key may push to), 400 the row and field, 413 an oversized body; nothing is written on error.
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
      // Every error body has a code: the one given, else its status's (docs/writes.md, "Error codes"). A refused
      // body (413) may still be arriving: the connection closes after the answer rather than read the rest of it,
      // which could keep a shutdown waiting for a request that never ends (a chunked body).
      const json = (status: number, body: object) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(status >= 400 && !('code' in body) ? { ...body, code: STATUS_CODES[status] } : body), {
            status,
            headers: { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}) },
          }),
        );
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice(prefix.length));
      } catch {
        return json(400, { error: 'the view name in the URL is not valid percent-encoding' });
      }
      const view = views.get(name);
      // With API keys, the views named are those the caller may push to: view names are not for every key.
      if (!view) {
        const principal = getPrincipal(request);
        const listed = [...views.keys()].filter((v) => !principal || hasScope(request, `push:${v}`));
        return json(404, { error: `unknown feature view "${name}"`, views: listed });
      }
      if (request.method !== 'POST') return json(405, { error: 'use POST' });
      const to = (url.searchParams.get('to') ?? 'ONLINE_AND_OFFLINE').toUpperCase() as PushTarget;
      if (!TARGETS.has(to)) return json(400, { error: `to must be one of ${[...TARGETS].join(', ')}` });
      const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
      if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255))
        return json(400, { error: 'Idempotency-Key must be 1 to 255 characters' });
      return (async () => {
        try {
          const rows = parseRows(await readBody(request, limit), request.headers.get('content-type') ?? '');
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
          json(200, result);
        } catch (err) {
          // Categorised by origin (docs/writes.md): the caller's input, a store that is down, or our bug.
          if (err instanceof HttpError) json(err.status, { error: err.message, ...err.extra });
          else if (err instanceof PushValidationError)
            json(400, { error: err.message, code: 'BAD_USER_INPUT', problems: err.problems, problemCount: err.problemCount });
          else if (err instanceof IdempotencyKeyReusedError) json(422, { error: err.message, code: 'BAD_USER_INPUT' });
          else if (err instanceof PushStoreError) {
            if (err.code !== 'BAD_USER_INPUT') monitoringEvents.emit('pushFailed', { view: name, requestId: getRequestId(request), err });
            // The driver's message carries host:port or SQL: it goes to the log only.
            if (err.code !== 'BAD_USER_INPUT') log(getRequestId(request), err.cause ?? err);
            json(err.status, { error: err.message, code: err.code, offlineCommitted: err.offlineCommitted });
          } else {
            log(getRequestId(request), err);
            json(500, { error: `push to ${name} failed unexpectedly; see the server log`, code: 'INTERNAL' });
          }
        }
      })();
    },
  };
};

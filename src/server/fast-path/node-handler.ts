import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { maskError } from 'graphql-yoga';
import { compiledOperations, type CompiledOperationsOptions } from './compiled-operations.js';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface CompiledPathOptions<C> extends CompiledOperationsOptions {
  readonly schema: GraphQLSchema;
  /** The GraphQL endpoint (exact path, no query string). */
  readonly endpoint: string;
  /** Builds the context of one request (fresh DataLoaders). */
  readonly context: () => C;
  /** Everything the compiled path does not take, with the body it already read (if any). */
  readonly fallback: (req: IncomingMessage & { body?: Buffer }, res: ServerResponse) => void;
  /** Bodies above this go to the fallback. Default 1 MiB. */
  readonly maxBodyBytes?: number;
}

interface GraphQLParams {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

// What Yoga answers a JSON request that accepts JSON with (see its result processors).
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const MASKED_MESSAGE = 'Unexpected error.';

/**
 * Yoga's shape for field errors: unexpected ones masked, the internal `http` and `unexpected` extensions
 * dropped (as its result processor does). graphql-jit's errors carry locations but no AST nodes, so a
 * masked error keeps the original's locations and path itself.
 */
const errorJson = (err: GraphQLError) => {
  const masked = maskError(err, MASKED_MESSAGE);
  const all = masked instanceof GraphQLError ? masked.extensions : undefined;
  const { http: _http, unexpected: _unexpected, ...extensions } = all ?? {};
  return {
    message: masked.message,
    ...(err.locations ? { locations: err.locations } : {}),
    ...(err.path ? { path: err.path } : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
  };
};

/**
 * The hot path of `POST /graphql`: valid queries sent as JSON by non-browser clients are executed by a
 * graphql-jit compiled function straight on node:http, skipping the Fetch API adapter and the plugin
 * pipeline; the response is what Yoga would send (same body, status and content type). Everything else —
 * GET, GraphiQL, mutations, invalid documents, variable errors, browsers (Origin: CORS), other Accept types,
 * /push, /health, /ready — goes to Yoga unchanged.
 */
export const compiledPath = <C>(opts: CompiledPathOptions<C>): NodeHandler => {
  const lookup = compiledOperations(opts.schema, opts);
  const limit = opts.maxBodyBytes ?? 1024 * 1024;

  const eligible = (req: IncomingMessage): boolean => {
    if (req.method !== 'POST' || req.url !== opts.endpoint || req.headers.origin !== undefined) return false;
    const type = req.headers['content-type'];
    if (type === undefined || !(type === 'application/json' || type.startsWith('application/json;'))) return false;
    const accept = req.headers.accept;
    return accept === undefined || accept === '*/*' || accept === 'application/json';
  };

  const run = (req: IncomingMessage & { body?: Buffer }, res: ServerResponse, body: Buffer) => {
    let params: GraphQLParams;
    try {
      params = JSON.parse(body.toString('utf8')) as GraphQLParams;
    } catch {
      params = {};
    }
    const { query, variables, operationName, extensions } = params ?? {};
    const compiled =
      typeof query === 'string' &&
      extensions === undefined &&
      (variables === undefined || variables === null || (typeof variables === 'object' && !Array.isArray(variables))) &&
      (operationName === undefined || operationName === null || typeof operationName === 'string')
        ? lookup(query, operationName ?? undefined)
        : null;
    if (!compiled) {
      req.body = body;
      return opts.fallback(req, res);
    }
    const send = (result: ExecutionResult) => {
      // No data at all: the variables did not coerce. Nothing ran, so Yoga can answer with its own messages.
      if (result.data === undefined) {
        req.body = body;
        return opts.fallback(req, res);
      }
      const out = result.errors?.length ? { errors: result.errors.map(errorJson), data: result.data } : { data: result.data };
      const json = JSON.stringify(out);
      res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(json) });
      res.end(json);
    };
    const fail = (err: unknown) => {
      const json = JSON.stringify({ errors: [errorJson(err as GraphQLError)] });
      res.writeHead(500, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(json) });
      res.end(json);
    };
    try {
      const result = compiled.query(undefined, opts.context(), (variables ?? {}) as Record<string, unknown>);
      if (result instanceof Promise) result.then(send, fail);
      else send(result);
    } catch (err) {
      fail(err);
    }
  };

  return (req, res) => {
    if (!eligible(req)) return opts.fallback(req, res);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return opts.fallback(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      chunks.push(c);
    });
    req.on('end', () => (size > limit ? opts.fallback(Object.assign(req, { body: Buffer.concat(chunks) }), res) : run(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))));
    req.on('error', () => res.destroy());
  };
};

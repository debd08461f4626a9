import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { FeatureGraphApp } from './app.js';
import { isPromise, unexpectedErrorBody } from './error-log.js';
import { NodeRequest } from './node-request.js';

/**
 * The node:http front of the one pipeline (docs/production.md, "One pipeline, two fronts").
 *
 * Yoga's own request path (whatwg-node's Request and Response objects, its adapter and promise helpers) costs
 * about as much CPU as everything featuregraph does for a one-entity read. This front takes the request shape
 * backends send most, `POST /graphql` with a JSON body and a Content-Length, and drives the SAME Yoga instance
 * with it: the same plugin objects, their hooks in Yoga's order (onRequest, onRequestParse, onParams and the
 * envelop phases through Yoga's own `getResultForParams`, onResultProcess, onResponse), the same executor,
 * the same error masking. What it replaces is only the transport: a light Request (headers read from Node's
 * own object, the body already read) and Node's response written directly.
 *
 * It hands a request to Yoga untouched whenever it cannot be sure it would do exactly what Yoga does:
 * - decided on the request line and headers alone: any other method, path, content type, no or a zero
 *   Content-Length, a body over the limit, or an Accept that asks for a stream (SSE, multipart);
 * - after reading the body and before any hook with side effects has run: when the body is not UTF-8 (Yoga's
 *   path refuses it, 400), when the onRequestParse hooks pick a parser other than the JSON parser (useJsonMediaType's),
 *   end the response, return a promise or throw, or when the body is not a JSON object (Yoga then gives its own 400).
 * And it refuses to run at all (every request goes to Yoga) when any plugin has a hook it does not drive
 * (`unsupportedBy` names it): a policy can never be skipped by taking the fast front door.
 */

/** What the front reads of Yoga's server object (public fields of graphql-yoga's YogaServer). */
interface YogaServerParts {
  readonly plugins: readonly (Record<string, unknown> | undefined)[];
  readonly onRequestParseHooks: readonly ((payload: unknown) => unknown)[];
  readonly onResultProcessHooks: readonly ((payload: unknown) => unknown)[];
  readonly getResultForParams: (payload: { params: unknown; request: unknown }, context: object) => unknown;
  readonly fetchAPI: { Response: typeof Response; URL: typeof URL };
  readonly maskedErrorsOpts: {
    maskError: (e: unknown, message: string, isDev?: boolean) => Error;
    errorMessage: string;
    isDev?: boolean;
  } | null;
  readonly logger: { error: (...args: unknown[]) => void; debug: (...args: unknown[]) => void };
  readonly graphqlEndpoint: string;
  readonly instrumentation?: unknown;
  readonly waitUntil: (p: Promise<unknown>) => void;
  readonly requestListener: RequestListener;
}

/** Hooks the front drives (Yoga and whatwg-node level), runs through Yoga (envelop level), or that act once at set-up. */
const DRIVEN = new Set(['onRequest', 'onRequestParse', 'onResultProcess', 'onResponse']);
const THROUGH_YOGA = new Set([
  'onParams',
  'onExecutionResult',
  'onParse',
  'onValidate',
  'onContextBuilding',
  'onExecute',
  'onSubscribe',
  'onEnveloped',
]);
const AT_SET_UP = new Set(['onYogaInit', 'onPluginInit', 'onSchemaChange', 'onDispose']);

export interface NodeFrontStats {
  /** Requests this front answered itself. */
  taken: number;
  /** Requests it handed to Yoga's own listener. */
  handedOff: number;
}

export interface NodeFront {
  readonly listener: RequestListener;
  /** Why the front is off (every request goes to Yoga), or null when it is on. */
  readonly off: string | null;
  readonly stats: NodeFrontStats;
}

const parts = (app: FeatureGraphApp): YogaServerParts => app as unknown as YogaServerParts;

/** The first hook the front does not drive, as "plugin N has hook X", or null. */
export const unsupportedBy = (app: FeatureGraphApp): string | null => {
  const y = parts(app);
  if (y.instrumentation) return 'a plugin uses instrumentation';
  for (const [i, p] of y.plugins.entries()) {
    if (!p) continue;
    for (const key of Object.keys(p)) {
      if (key === 'instrumentation' && p[key]) return `plugin ${i} has instrumentation`;
      // Yoga and envelop call a plugin's `on…` functions only; other members (a log's flush, say) are its own.
      if (typeof p[key] !== 'function' || !/^on[A-Z]/.test(key)) continue;
      if (!DRIVEN.has(key) && !THROUGH_YOGA.has(key) && !AT_SET_UP.has(key)) return `plugin ${i} has hook ${key}`;
    }
  }
  return null;
};

/** graphql-yoga's handleError for a server with masked errors (the only kind createApp makes). */
const handleError = (y: YogaServerParts, error: unknown): GraphQLError[] => {
  if (error !== null && typeof error === 'object' && 'errors' in error && Array.isArray((error as { errors: unknown }).errors))
    return [...new Set((error as { errors: unknown[] }).errors.flatMap((e) => handleError(y, e)))];
  if (
    typeof error === 'object' &&
    error?.constructor?.name === 'DOMException' &&
    ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError')
  )
    return [];
  const m = y.maskedErrorsOpts!;
  const masked = m.maskError(error, m.errorMessage, m.isDev);
  if (masked !== error) y.logger.error(error);
  return [masked instanceof GraphQLError ? masked : new GraphQLError(masked.message, { originalError: masked })];
};

/**
 * Requests that ask for a stream (SSE, multipart) go to Yoga: a stream ends when the client goes away, which
 * Yoga learns from its Request's abort signal, and the node front's requests have none. A subscription or
 * `@defer` sent with a wildcard or no Accept is answered by the front as Yoga would (SSE, multipart); its
 * stream is then ended by `sendNodeResponse`, which cancels it when the response closes.
 */
const streams = (accept: string | undefined): boolean => {
  if (accept === undefined) return false;
  const a = accept.toLowerCase();
  return a.includes('text/event-stream') || a.includes('multipart/');
};

const UNEXPECTED = unexpectedErrorBody();

/**
 * The listener `listen` serves: the node front in front of `app`, or `app` itself when a plugin has a hook the
 * front does not drive. `maxBodyBytes` is the GraphQL body limit (bodies over it go to Yoga, which refuses them).
 */
export const createNodeFront = (app: FeatureGraphApp, opts: { maxBodyBytes: number }): NodeFront => {
  const y = parts(app);
  // Required when a server starts, as Yoga is (app.ts): the package's main entry, which every CLI command loads,
  // exports `listen`, and whatwg-node is about 270 modules (docs/architecture.md, "The package").
  const { sendNodeResponse } = createRequire(import.meta.url)('@whatwg-node/server') as typeof import('@whatwg-node/server');
  const yoga: RequestListener = (req, res) => app(req, res);
  const stats: NodeFrontStats = { taken: 0, handedOff: 0 };
  const off = y.maskedErrorsOpts ? unsupportedBy(app) : 'errors are not masked';
  if (off) return { listener: yoga, off, stats };

  const plugins = y.plugins.filter((p): p is Record<string, unknown> => !!p);
  const onRequest = plugins.flatMap((p) => (typeof p.onRequest === 'function' ? [p.onRequest as (x: unknown) => unknown] : []));
  const onResponse = plugins.flatMap((p) => (typeof p.onResponse === 'function' ? [p.onResponse as (x: unknown) => unknown] : []));
  const fetchAPI = y.fetchAPI;
  const endpoint = y.graphqlEndpoint;

  type ParseOutcome = { params: Record<string, unknown> } | null;
  // The JSON body parser (useJsonMediaType's, which reads only UTF-8), found by asking the hooks about a JSON
  // request: a request is taken only when they pick this one.
  let jsonParser: unknown;
  const dryParse = (request: NodeRequest, url: URL, serverContext: object): ParseOutcome => {
    let parser: unknown;
    let ended = false;
    const dones: ((p: unknown) => unknown)[] = [];
    for (const hook of y.onRequestParseHooks) {
      const r = hook({
        request,
        url,
        requestParser: parser,
        serverContext,
        setRequestParser: (p: unknown) => (parser = p),
        endResponse: () => (ended = true),
        fetchAPI,
      }) as { onRequestParseDone?: (p: unknown) => unknown } | undefined;
      if (isPromise(r) || ended) return null;
      if (r?.onRequestParseDone) dones.push(r.onRequestParseDone);
    }
    if (jsonParser === undefined) jsonParser = parser;
    if (!parser || parser !== jsonParser) return null;
    const body = request.json();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
    let params = body as Record<string, unknown>;
    for (const done of dones) {
      const r = done({ requestParserResult: params, setRequestParserResult: (p: Record<string, unknown>) => (params = p) });
      if (isPromise(r)) return null;
    }
    return { params };
  };
  {
    // Find the JSON parser now, so the first real request is judged like every other.
    const probe = new NodeRequest(
      'POST',
      `http://localhost${endpoint}`,
      { 'content-type': 'application/json', 'content-length': '2' },
      '{}',
    );
    try {
      if (!dryParse(probe, new URL(probe.url), {})) return { listener: yoga, off: "Yoga's hooks pick no JSON parser", stats };
    } catch (e) {
      return { listener: yoga, off: `Yoga's onRequestParse hooks fail: ${(e as Error).message}`, stats };
    }
  }

  const processResult = async (request: NodeRequest, result: unknown, serverContext: object): Promise<Response> => {
    let processor: ((r: unknown, f: unknown, m: string) => Response | Promise<Response>) | undefined;
    let accepted = '*/*';
    const acceptable: string[] = [];
    for (const hook of y.onResultProcessHooks) {
      const r = hook({
        request,
        acceptableMediaTypes: acceptable,
        result,
        setResult: (x: unknown) => (result = x),
        resultProcessor: processor,
        setResultProcessor: (p: typeof processor, m: string) => {
          processor = p;
          accepted = m;
        },
        serverContext,
      });
      if (isPromise(r)) await r;
    }
    if (!processor)
      return new fetchAPI.Response(null, {
        status: 406,
        statusText: 'Not Acceptable',
        headers: { accept: acceptable.join('; charset=utf-8, ') },
      });
    return processor(result, fetchAPI, accepted);
  };

  /** Yoga's handle and its adapter's hooks, in their order, for a request whose parse is known to succeed. */
  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    serverContext: object,
    request: NodeRequest,
    url: URL,
    params: Record<string, unknown>,
  ) => {
    let response: Response | undefined;
    let handler: ((r: unknown, c: object) => unknown) | undefined;
    let current: unknown = request;
    try {
      for (const hook of onRequest) {
        const r = hook({
          request: current,
          setRequest: (x: unknown) => (current = x),
          serverContext,
          fetchAPI,
          url,
          requestHandler: handler,
          setRequestHandler: (h: typeof handler) => (handler = h),
          endResponse: (x: Response | undefined) => (response = x),
        });
        if (isPromise(r)) await r;
        if (response) break;
      }
      if (!response && (handler || current !== request)) throw new Error('a plugin replaced the request or its handler');
    } catch (e) {
      y.logger.error(e);
      res.writeHead(500, { 'content-type': 'application/json' }).end(UNEXPECTED);
      return;
    }
    if (!response) {
      try {
        response = await processResult(
          request,
          (await y.getResultForParams({ params, request }, serverContext)) as ExecutionResult,
          serverContext,
        );
      } catch (e) {
        response = await processResult(request, { errors: handleError(y, e) }, serverContext);
      }
    }
    for (const hook of onResponse) {
      const r = hook({ request, response, serverContext, setResponse: (x: Response) => (response = x), fetchAPI });
      if (isPromise(r)) await r;
    }
    await sendNodeResponse(response, res, req, true);
  };

  const listener: RequestListener = (req, res) => {
    const length = req.headers['content-length'];
    const type = req.headers['content-type'];
    if (
      req.method !== 'POST' ||
      req.url !== endpoint ||
      type === undefined ||
      (type !== 'application/json' && !type.startsWith('application/json;')) ||
      length === undefined ||
      !/^[1-9]\d{0,9}$/.test(length) ||
      Number(length) > opts.maxBodyBytes ||
      req.headers['transfer-encoding'] !== undefined ||
      streams(req.headers.accept)
    ) {
      stats.handedOff++;
      return yoga(req, res);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      // Not UTF-8: decoding would put U+FFFD in place of the bad bytes. Yoga's path refuses it (400, naming them).
      if (!isUtf8(bytes)) {
        stats.handedOff++;
        (req as IncomingMessage & { body?: Buffer }).body = bytes;
        return yoga(req, res);
      }
      const text = bytes.toString('utf8');
      const request = new NodeRequest('POST', `http://${req.headers.host ?? 'localhost'}${req.url}`, req.headers, text);
      // As Yoga's Node adapter makes it: the GraphQL context starts as this object.
      const serverContext = { req, res, waitUntil: y.waitUntil };
      let url: URL;
      let parsed: ParseOutcome = null;
      try {
        url = new fetchAPI.URL(request.url);
        // `listen` refuses a Host that is not a plain authority; this keeps the path the hooks see the endpoint.
        parsed = url.pathname === endpoint ? dryParse(request, url, serverContext) : null;
      } catch {
        parsed = null;
      }
      if (!parsed) {
        // Nothing with an effect has run: Yoga answers it from the start, with the body already read.
        stats.handedOff++;
        (req as IncomingMessage & { body?: string }).body = text;
        return yoga(req, res);
      }
      stats.taken++;
      answer(req, res, serverContext, request, url!, parsed.params).catch((e: unknown) => {
        y.logger.error(e);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(UNEXPECTED);
        else res.destroy();
      });
    });
  };
  return { listener, off: null, stats };
};

import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, parse, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bodyLimitOf, corsOriginsOf, type FeatureGraphApp } from './app.js';
import { isLoopbackHost, LOOPBACK_ONLY, originAllowed } from './hosts.js';
import { readEventStream } from './event-stream.js';

export interface GraphQLWsOptions {
  /** Where the WebSocket endpoint is; the same path as GraphQL over HTTP. @default '/graphql' */
  readonly path?: string;
  /**
   * Operations one WebSocket connection may have running at once; one more is refused with an error
   * (code BAD_USER_INPUT). An SSE request is one subscription, so this is the only per-connection bound.
   * @default 100
   */
  readonly maxSubscriptionsPerConnection?: number;
  /** Milliseconds between keep-alive pings. @default 12000 */
  readonly keepAliveMs?: number;
  /** Accept only connections addressed to this machine (ListenOptions.loopbackHostsOnly, the demo). */
  readonly loopbackHostsOnly?: boolean;
}

/** What a connection's `connection_init` payload may carry: the API key, as HTTP headers carry it. */
type ConnectionParams = Readonly<Record<string, unknown>> | undefined;

/** One operation, sent through the app (see attachGraphQLWs), and its answer. */
interface Routed {
  readonly response: Response;
  readonly abort: AbortController;
  /** Stop watching the socket for this operation. */
  readonly release: () => void;
}

// graphql-ws picks subscribe or execute from the document's operation: every operation goes to `subscribe`,
// which relays whatever the app answered (one result or a stream). The app parses the real document itself.
const RELAYED = parse('subscription { __typename }');

const headerParam = (params: ConnectionParams, name: string): string | undefined => {
  if (!params) return undefined;
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
};

/** The body of a refused request: JSON, or the first event of an SSE answer. */
const refusal = async (response: Response, type: string): Promise<ExecutionResult> => {
  try {
    if (type.startsWith('text/event-stream') && response.body) {
      const events = readEventStream(response.body);
      const first = await events.next();
      await events.return?.();
      return first.done ? {} : (JSON.parse(first.value.data) as ExecutionResult);
    }
    return JSON.parse(await response.text()) as ExecutionResult;
  } catch {
    return {}; // not JSON: a plain HTTP error
  }
};

const asGraphQLErrors = (body: ExecutionResult | { errors?: GraphQLFormattedError[] }, status: number): GraphQLError[] => {
  const errors = (body.errors ?? []) as GraphQLFormattedError[];
  if (errors.length === 0) return [new GraphQLError(`the request failed (HTTP ${status})`, { extensions: { code: 'INTERNAL' } })];
  return errors.map((e) => new GraphQLError(e.message, { ...(e.extensions ? { extensions: e.extensions } : {}) }));
};

/**
 * The app's SSE answer as the results graphql-ws sends. A plain iterator, not an async generator: graphql-ws
 * calls `return()` when the client completes or the socket closes, and that must cancel the stream at once
 * (an async generator's `return` would wait for the next event).
 */
const relay = (routed: Routed): AsyncIterableIterator<ExecutionResult> => {
  const events = routed.response.body ? readEventStream(routed.response.body) : null;
  let finished = false;
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (!finished) {
      finished = true;
      routed.release();
      routed.abort.abort();
      await events?.return?.();
    }
    return { value: undefined, done: true };
  };
  const it: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      while (events && !finished) {
        const r = await events.next();
        if (r.done || r.value.event === 'complete') break;
        if (r.value.event === 'next' || r.value.event === undefined)
          return { value: JSON.parse(r.value.data) as ExecutionResult, done: false };
      }
      return finish();
    },
    return: finish,
    [Symbol.asyncIterator]: () => it,
  };
  return it;
};

/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the server's own port and path. Each operation a socket
 * subscribes is sent as a request through the app itself — `app.fetch`, with `Accept: text/event-stream` and the
 * key from `connectionParams` (`authorization: 'Bearer <key>'` or `x-api-key`) as headers — so it passes every
 * policy of the one pipeline: the API-key plugin's authentication (onParams) and scopes, trusted documents,
 * rate limits, limits, production mode, request ids and logs. Yoga runs it with its getEnveloped, the same
 * envelop instance as every HTTP request; calling getEnveloped here directly would skip the request-level
 * hooks (onRequest, onParams) that authentication and trusted documents use. See docs/subscriptions.md.
 */
export const attachGraphQLWs = (server: Server, app: FeatureGraphApp, opts: GraphQLWsOptions = {}): { close(): Promise<void> } => {
  const path = opts.path ?? '/graphql';
  const max = opts.maxSubscriptionsPerConnection ?? 100;
  // A page on any site may open a WebSocket to any server (CORS does not apply), and it carries the
  // user's network position: only the page's own origin and the CORS origins may connect from a browser
  // (cross-site WebSocket hijacking), and an anonymous loopback server takes only its own Host (DNS rebinding).
  const listed = corsOriginsOf(app);
  const verifyClient = (info: { origin: string; req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
    const host = info.req.headers.host;
    if (opts.loopbackHostsOnly && !isLoopbackHost(host)) return done(false, 400, LOOPBACK_ONLY);
    if (info.origin && !originAllowed(info.origin, host, listed))
      return done(false, 403, `WebSocket connections from ${info.origin} are not allowed (FEATUREGRAPH_CORS_ORIGINS)`);
    done(true);
  };
  // A message is held whole before graphql-ws reads it (and before any key is checked): no larger than an
  // HTTP body may be (ws's own default is 100 MiB). A larger one closes the socket (1009, message too big).
  const wss = new WebSocketServer({ server, path, maxPayload: bodyLimitOf(app), verifyClient });
  const schema = app.getEnveloped().schema;
  const disposable = useServer<Record<string, unknown>>(
    {
      onSubscribe: async (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > max)
          return [
            new GraphQLError(`this connection already runs ${max} operations, the most one connection may`, {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
        const auth = headerParam(ctx.connectionParams, 'authorization');
        const apiKey = headerParam(ctx.connectionParams, 'x-api-key');
        if (auth !== undefined) headers.authorization = auth;
        if (apiKey !== undefined) headers['x-api-key'] = apiKey;
        const abort = new AbortController();
        const socketClosed = () => abort.abort();
        ctx.extra.socket.once('close', socketClosed);
        const response = await app.fetch(`http://localhost${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            query: payload.query,
            ...(payload.variables ? { variables: payload.variables } : {}),
            ...(payload.operationName ? { operationName: payload.operationName } : {}),
            ...(payload.extensions ? { extensions: payload.extensions } : {}),
          }),
          signal: abort.signal,
        });
        const type = response.headers.get('content-type') ?? '';
        if (response.status >= 400 || !type.startsWith('text/event-stream')) {
          // Refused before execution (401, 403, 400, 429…): graphql-ws's `error` message, with the codes.
          ctx.extra.socket.off('close', socketClosed);
          return asGraphQLErrors(await refusal(response, type), response.status);
        }
        const routed: Routed = { response, abort, release: () => ctx.extra.socket.off('close', socketClosed) };
        return { schema, document: RELAYED, rootValue: routed };
      },
      subscribe: (args) => relay(args.rootValue as Routed),
      // Results are the app's own JSON (already masked): send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as ExecutionResult,
    },
    wss,
    opts.keepAliveMs ?? 12_000,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
};

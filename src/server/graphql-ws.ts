import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, parse, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bodyLimitOf, connectionAuthenticatorOfApp, corsOriginsOf, type FeatureGraphApp } from './app.js';
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
  /**
   * Milliseconds a connection may stay open with no operation running (from its opening, or from the end of
   * its last operation); then it is closed with 1000. A subscription keeps its connection open as long as it
   * runs. Without it, sockets that never subscribe would hold the connection cap (`maxConnections`) for ever.
   * @default FEATUREGRAPH_WS_IDLE_TIMEOUT_MS, else 30000
   */
  readonly idleTimeoutMs?: number;
  /** Accept only connections addressed to this machine (ListenOptions.loopbackHostsOnly, the demo). */
  readonly loopbackHostsOnly?: boolean;
}

/** What a connection's `connection_init` payload may carry: the API key, as HTTP headers carry it. */
type ConnectionParams = Readonly<Record<string, unknown>> | undefined;

/** Close codes of a refused `connection_init` (graphql-ws's 4401 Unauthorized; the client does not retry it). */
const UNAUTHORIZED = 4401;
/** The key lookup itself failed (graphql-ws's 4500 Internal server error). */
const INTERNAL = 4500;
/** A connection with no operation for the idle timeout: a normal closure (a client reconnects when it needs to). */
const IDLE = 1000;

/** How long a WebSocket connection may have no operation (env FEATUREGRAPH_WS_IDLE_TIMEOUT_MS, default 30 s). */
export const WS_IDLE_TIMEOUT_MS = (() => {
  const v = Number(process.env.FEATUREGRAPH_WS_IDLE_TIMEOUT_MS ?? 30_000);
  return Number.isSafeInteger(v) && v >= 1000 ? v : 30_000;
})();

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

/** The key headers a connection's `connectionParams` carry (`authorization`, `x-api-key`), as HTTP headers. */
const keyHeaders = (params: ConnectionParams): Record<string, string> => {
  const headers: Record<string, string> = {};
  const auth = headerParam(params, 'authorization');
  const apiKey = headerParam(params, 'x-api-key');
  if (auth !== undefined) headers.authorization = auth;
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  return headers;
};

/** A close reason within the protocol's 123 bytes. */
const reason = (message: string): string => (Buffer.byteLength(message) <= 123 ? message : `${message.slice(0, 119)}…`);

/**
 * Closes a socket once it has had no operation running for `ms`: `begin` when an operation starts, `end` when
 * it is over (answered, refused, completed or ended).
 */
const idleWatch = (ms: number) => {
  const watched = new WeakMap<WebSocket, { running: number; timer: NodeJS.Timeout | null }>();
  const arm = (socket: WebSocket) => {
    const w = watched.get(socket);
    if (!w || w.running > 0 || w.timer || socket.readyState !== socket.OPEN) return;
    w.timer = setTimeout(() => {
      w.timer = null;
      if (w.running === 0) socket.close(IDLE, `no operation for ${Math.round(ms / 1000)} s`);
    }, ms);
    w.timer.unref();
  };
  return {
    opened(socket: WebSocket) {
      const w = { running: 0, timer: null as NodeJS.Timeout | null };
      watched.set(socket, w);
      socket.once('close', () => {
        if (w.timer) clearTimeout(w.timer);
        watched.delete(socket);
      });
      arm(socket);
    },
    begin(socket: WebSocket) {
      const w = watched.get(socket);
      if (!w) return;
      w.running++;
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
    },
    end(socket: WebSocket) {
      const w = watched.get(socket);
      if (!w) return;
      w.running = Math.max(0, w.running - 1);
      arm(socket);
    },
  };
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
 * hooks (onRequest, onParams) that authentication and trusted documents use. With the API-key plugin, the key
 * is also checked once when the connection is initialised (onConnect, the plugin's own lookup): without a valid
 * one the socket is closed with 4401 before it is acknowledged. A socket with no operation running for
 * `idleTimeoutMs` is closed. See docs/subscriptions.md.
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
  // With API keys, a connection presents its key in `connection_init` and is closed (4401) without a valid one,
  // before it is acknowledged. A connection with no operation running is closed after the idle timeout, so
  // sockets that never subscribe cannot hold the connection cap (docs/subscriptions.md, "Bounds and cleanup").
  const authenticate = connectionAuthenticatorOfApp(app);
  const idle = idleWatch(opts.idleTimeoutMs ?? WS_IDLE_TIMEOUT_MS);
  wss.on('connection', (socket) => idle.opened(socket));
  const disposable = useServer<Record<string, unknown>>(
    {
      onConnect: async (ctx) => {
        if (!authenticate) return true;
        const socket = ctx.extra.socket;
        try {
          const headers = keyHeaders(ctx.connectionParams);
          if (Object.keys(headers).length === 0) {
            socket.close(
              UNAUTHORIZED,
              'an API key is required in connection_init: {"authorization": "Bearer <key>"} or {"x-api-key": "<key>"}',
            );
            return false;
          }
          const a = await authenticate(headers);
          if ('principal' in a) return true;
          socket.close(UNAUTHORIZED, reason(a.message));
        } catch {
          socket.close(INTERNAL, 'the API key could not be checked');
        }
        return false; // already closed with the code above (graphql-ws's own 4403 is then not sent)
      },
      onSubscribe: async (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > max)
          return [
            new GraphQLError(`this connection already runs ${max} operations, the most one connection may`, {
              extensions: { code: 'BAD_USER_INPUT' },
            }),
          ];
        const socket = ctx.extra.socket;
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...keyHeaders(ctx.connectionParams),
        };
        const abort = new AbortController();
        const socketClosed = () => abort.abort();
        socket.once('close', socketClosed);
        // Running from here until it is answered, refused or its stream ends: the socket is not idle meanwhile.
        idle.begin(socket);
        let response: Response;
        try {
          response = await app.fetch(`http://localhost${path}`, {
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
        } catch (err) {
          socket.off('close', socketClosed);
          idle.end(socket);
          throw err;
        }
        const type = response.headers.get('content-type') ?? '';
        if (response.status >= 400 || !type.startsWith('text/event-stream')) {
          // Refused before execution (401, 403, 400, 429…): graphql-ws's `error` message, with the codes.
          socket.off('close', socketClosed);
          try {
            return asGraphQLErrors(await refusal(response, type), response.status);
          } finally {
            idle.end(socket);
          }
        }
        const routed: Routed = {
          response,
          abort,
          release: () => {
            socket.off('close', socketClosed);
            idle.end(socket);
          },
        };
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

import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { bodyLimitOf, markDraining, type FeatureGraphApp } from './app.js';
import { attachGraphQLWs, type GraphQLWsOptions } from './graphql-ws.js';
import { isLoopbackHost, LOOPBACK_ONLY } from './hosts.js';
import { createNodeFront, type NodeFront } from './node-front.js';
import { tuneV8ForServing } from './v8-flags.js';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  /** The node front before the app (node-front.ts): whether it is on, and what it took. */
  readonly front: NodeFront;
  /**
   * Stop accepting, let in-flight requests finish, then resolve. With `drainMs`, first keep serving that long
   * with `/ready` at 503 and `Connection: close` on every response (docs/writes.md, "Clean shutdown"), so clients
   * leave their keep-alive connections on a request of their own rather than have them closed under them.
   */
  close(opts?: { readonly drainMs?: number }): Promise<void>;
}

export interface ListenOptions {
  /** GraphQL over WebSocket (graphql-ws) on the same port and path; `false`: none. @default {} */
  readonly webSocket?: GraphQLWsOptions | false;
  /**
   * Run by `close` before it waits for in-flight requests: ends what would otherwise hold them open, such as
   * subscriptions over SSE (docs/subscriptions.md).
   */
  readonly beforeClose?: () => Promise<void>;
  /**
   * Put the node front before the app (docs/production.md, "One pipeline, two fronts"): JSON POSTs to /graphql
   * skip Yoga's Fetch-API transport but not one of its hooks. `false`: Yoga's own listener for every request.
   * @default true unless FEATUREGRAPH_NODE_FRONT=off
   */
  readonly nodeFront?: boolean;
  /**
   * Open connections this process accepts (WebSocket subscriptions included); above it a new connection is
   * closed at once. Bounds file descriptors and what stalled bodies can hold (connections × body limit).
   * @default FEATUREGRAPH_MAX_CONNECTIONS, else 4096
   */
  readonly maxConnections?: number;
  /**
   * Answer only requests whose Host names this machine (`localhost`, `127.x.x.x`, `[::1]`), any port: what
   * an anonymous server bound to loopback needs against DNS rebinding, where a web page's own name comes to
   * point at 127.0.0.1 and its script reads or pushes through the victim's browser (docs/production.md).
   */
  readonly loopbackHostsOnly?: boolean;
}

// A host name (letters, digits, dots, hyphens, underscores), IPv4 or bracketed IPv6 address, and an optional
// port. Stricter than RFC 3986's reg-name, whose sub-delimiters and percent-escapes the URL parser refuses.
const PLAIN_HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Refuse, before anything reads the request, a `Host` header that is not a plain authority, and a request
 * target that is not a path (400): the URL every plugin sees is built from both, and `Host: h/x?` or an
 * absolute-form target (`POST http://h//graphql`, which only proxies are sent) would otherwise move the path
 * those policies match on (CSRF prevention, the rate limit, metrics, /push) away from the path Node routed,
 * or fail building the URL (docs/production.md, "Errors").
 */
const withPlainHost =
  (listener: RequestListener, loopbackOnly: boolean): RequestListener =>
  (req, res) => {
    const host = req.headers.host;
    const problem =
      host !== undefined && !PLAIN_HOST.test(host)
        ? 'the Host header is not a host name or address'
        : loopbackOnly && !isLoopbackHost(host)
          ? `${LOOPBACK_ONLY} (it is anonymous and bound to loopback)`
          : !req.url?.startsWith('/')
            ? 'the request target must be a path (origin-form), such as /graphql'
            : null;
    if (problem === null) return listener(req, res);
    const id = randomUUID();
    res
      .writeHead(400, { 'content-type': 'application/json', connection: 'close', 'x-request-id': id })
      .end(JSON.stringify({ error: problem, code: 'BAD_REQUEST', requestId: id }));
  };

/**
 * A request Node's HTTP parser refused before any handler saw it (headers over 16 KiB, a malformed request line,
 * a request that took too long to arrive): answered as every other refusal is, JSON with a code and a request
 * id, instead of Node's empty 400/431/408. Nothing is answered on a socket already mid-response or closed.
 */
const answerClientError = (err: Error & { code?: string }, socket: Duplex) => {
  const inResponse = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (err.code === 'ECONNRESET' || !socket.writable || inResponse) return socket.destroy();
  const [status, error] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request line and headers are larger than 16 KiB']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is not valid HTTP/1.1'];
  const id = randomUUID();
  const body = JSON.stringify({ error, code: 'BAD_REQUEST', requestId: id });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${id}\r\nconnection: close\r\n\r\n${body}`,
  );
};

/** Listen on `port` (0 = any free port) on all interfaces; GraphQL over HTTP, SSE and WebSocket. */
export const listen = (app: FeatureGraphApp, port: number, host?: string, opts: ListenOptions = {}): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    tuneV8ForServing();
    const useFront = opts.nodeFront ?? process.env.FEATUREGRAPH_NODE_FRONT !== 'off';
    const front: NodeFront = useFront
      ? createNodeFront(app, { maxBodyBytes: bodyLimitOf(app) })
      : { listener: app, off: 'turned off', stats: { taken: 0, handedOff: 0 } };
    // While closing, every response says `Connection: close` (those in flight and any that still arrive on an
    // open connection): a keep-alive client then sends its next request on a new connection to another
    // instance, instead of on this one as it is closed under it (ECONNRESET, docs/writes.md).
    const inFlight = new Set<ServerResponse>();
    let draining = false;
    const plain = withPlainHost(front.listener, opts.loopbackHostsOnly === true);
    // Connections that have not carried a request yet, and since when (a client's spare, opened ahead of need).
    // Node's closeIdleConnections leaves them open, so one would hold a shutdown until its client gives up
    // (undici's spare closes after 4 s, a browser's preconnect later): close() closes them too (docs/writes.md).
    const unused = new Map<Socket, number>();
    // Node enforces headersTimeout and requestTimeout only when it checks its connections, every 30 s by
    // default: a client trickling its headers would stay up to 30 s past the timeout. Checked every second.
    const server = createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
      unused.delete(req.socket);
      if (draining) res.shouldKeepAlive = false;
      else {
        inFlight.add(res);
        res.once('close', () => inFlight.delete(res));
      }
      plain(req, res);
    });
    server.on('clientError', answerClientError);
    server.on('connection', (socket: Socket) => {
      unused.set(socket, Date.now());
      socket.once('close', () => unused.delete(socket));
    });
    server.on('upgrade', (req: IncomingMessage) => unused.delete(req.socket));
    const ws =
      opts.webSocket === false
        ? null
        : attachGraphQLWs(server, app, { ...opts.webSocket, ...(opts.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}) });
    server.keepAliveTimeout = 65_000;
    // A request must arrive whole within this (Node's default is 5 minutes): a client that stalls mid-body
    // holds the part it sent in memory meanwhile (docs/production.md, "Limits").
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.headersTimeout = Math.min(20_000, REQUEST_TIMEOUT_MS);
    server.maxConnections = opts.maxConnections ?? MAX_CONNECTIONS;
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolve({
        server,
        front,
        url: `http://${host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost'}:${actual}/graphql`,
        close: async (closing = {}) => {
          draining = true;
          markDraining(app);
          for (const r of inFlight) if (!r.headersSent) r.shouldKeepAlive = false;
          if (closing.drainMs && closing.drainMs > 0) {
            // Still listening: every response now says Connection: close, and /ready 503.
            await new Promise((r) => setTimeout(r, closing.drainMs));
          }
          // Subscriptions end first (WebSocket connections closed, SSE streams completed): they never finish by themselves.
          await ws?.close().catch(() => undefined);
          await opts.beforeClose?.().catch(() => undefined);
          await new Promise<void>((res) => {
            server.close(() => {
              clearInterval(sweep);
              res();
            });
            // Keep-alive connections become idle after their in-flight response; close them as they do, or
            // a client under load keeps the server open until the grace period runs out (docs/writes.md).
            const closeIdle = () => {
              server.closeIdleConnections();
              // One whose first request may be arriving still gets UNUSED_GRACE_MS from its opening.
              const before = Date.now() - UNUSED_GRACE_MS;
              for (const [socket, since] of unused) if (since <= before) socket.destroy();
            };
            closeIdle();
            const sweep = setInterval(closeIdle, 25);
          });
        },
      });
    });
  });

/** A whole number of at least `min` from the environment variable `name`, else `fallback`. */
const envWholeNumber = (name: string, fallback: number, min: number): number => {
  const v = Number(process.env[name] ?? fallback);
  return Number.isSafeInteger(v) && v >= min ? v : fallback;
};

/** How long a request may take to arrive, headers and body (env FEATUREGRAPH_REQUEST_TIMEOUT_MS, default 60 s). */
const REQUEST_TIMEOUT_MS = envWholeNumber('FEATUREGRAPH_REQUEST_TIMEOUT_MS', 60_000, 1000);

/** Open connections per process (env FEATUREGRAPH_MAX_CONNECTIONS, default 4096; ListenOptions.maxConnections). */
export const MAX_CONNECTIONS = envWholeNumber('FEATUREGRAPH_MAX_CONNECTIONS', 4096, 1);

/** How long a connection may stay open without a request once the server is closing. */
const UNUSED_GRACE_MS = 1000;

/** How long a graceful shutdown waits for in-flight requests (env FEATUREGRAPH_SHUTDOWN_GRACE_MS). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * How long a signalled shutdown keeps serving first, with /ready at 503 and Connection: close on every response
 * (env FEATUREGRAPH_SHUTDOWN_DRAIN_MS, default 1 s; within the grace period).
 */
const SHUTDOWN_DRAIN_MS = envWholeNumber('FEATUREGRAPH_SHUTDOWN_DRAIN_MS', 1000, 0);

/**
 * Graceful shutdown on SIGTERM/SIGINT (docs/writes.md): stop accepting, let in-flight requests (pushes
 * included) finish, close the stores, exit 0. A request still running when the grace period ends is cut
 * off (its client sees no acknowledgement, so it retries) and the process exits 1; so does one whose stores do
 * not close within another grace period (what the served-feature log still held is then lost).
 */
export const closeOnSignals = (
  running: RunningServer,
  cleanup: () => Promise<void>,
  log: (msg: string) => void = console.error,
  graceMs = Number(process.env.FEATUREGRAPH_SHUTDOWN_GRACE_MS ?? DEFAULT_SHUTDOWN_GRACE_MS),
) => {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log(
      `${signal} received: ${SHUTDOWN_DRAIN_MS ? `serving ${SHUTDOWN_DRAIN_MS} ms more with /ready at 503 and Connection: close, then ` : ''}finishing in-flight requests, then closing the stores`,
    );
    const force = setTimeout(() => {
      log(`requests still running after ${graceMs} ms: closing their connections`);
      running.server.closeAllConnections();
      process.exitCode = 1;
    }, graceMs);
    force.unref();
    // Closing the stores (the served-feature log's last batch among them) gets a grace period of its own: a
    // store that stopped answering must not keep the process from exiting.
    const bounded = () => {
      const stuck = setTimeout(() => {
        log(`closing the stores did not finish within ${graceMs} ms (a store is not answering): exiting without them`);
        process.exit(1);
      }, graceMs);
      stuck.unref();
      return cleanup().finally(() => clearTimeout(stuck));
    };
    running
      .close({ drainMs: Math.min(SHUTDOWN_DRAIN_MS, graceMs / 2) })
      .then(() => clearTimeout(force))
      .then(bounded)
      .then(
        () => {
          log(process.exitCode === 1 ? 'stopped, after cutting off the requests above' : 'stopped cleanly');
          process.exit(process.exitCode ?? 0);
        },
        (err: unknown) => {
          log(`closing the stores failed: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
};

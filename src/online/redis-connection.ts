import { createRequire } from 'node:module';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

// Required when a store connects, not when this module loads: every CLI command imports the package, and
// ioredis takes a noticeable part of a short command's start-up (docs/architecture.md, "The package").
// ioredis is CommonJS only, so this is the very module an `import` would give.
const ioredis = (): typeof import('ioredis') => createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

/** Whether a client is a Cluster (what `instanceof Cluster` says, without loading ioredis to ask). */
export const isCluster = (client: Redis | Cluster): client is Cluster => client.isCluster;

/** Why a Redis call failed; `code` lets the GraphQL layer tag the fields it fails. */
export class RedisStoreError extends Error {
  override readonly name = 'RedisStoreError';
  constructor(
    message: string,
    readonly code: 'REDIS_UNAVAILABLE' | 'REDIS_ERROR',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RedisConnectionOptions {
  /** `redis://[user:pass@]host:port[/db]`; ignored when `clusterNodes` is given. */
  readonly url?: string;
  /** `host:port` of some cluster nodes; selects `ioredis.Cluster`. */
  readonly clusterNodes?: readonly string[];
  /** A request with no reply after this long fails (a hung or blackholed Redis). Default 5000. */
  readonly commandTimeoutMs?: number;
  /** Give up on one connection attempt after this long. Default 2000. */
  readonly connectTimeoutMs?: number;
}

/** A connected client, where it points (for messages, password hidden), and whether it is serving. */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  readonly where: string;
  /** Throws at once while the connection is known to be down, instead of queueing the request. */
  assertUp(): void;
  /** Any client error → a RedisStoreError naming Redis and where it is. */
  wrap(err: unknown): RedisStoreError;
  /** How many times the connection became ready: it changes with every reconnect (data may be gone since). */
  readyCount(): number;
  close(): Promise<void>;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

// Reconnect forever, at most a second apart, so the store serves again by itself when Redis returns.
const retryDelay = (times: number): number => Math.min(50 * 2 ** times, 1000);

const redact = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');

const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection is closed|Stream isn't writeable|timed out|max retries|MaxRetriesPerRequest|refresh slots|Cluster isn't ready|None of startup nodes|CLUSTERDOWN|^MOVED |^ASK |TRYAGAIN|LOADING/i;

export const connectRedis = (opts: RedisConnectionOptions): RedisConnection => {
  const common: RedisOptions = {
    // RESP2: every reply we use (HMGET, EVALSHA, PING) has the same shape under RESP3, so RESP2 keeps the
    // store working through servers and proxies that lack HELLO 3 (Redis < 6, twemproxy, some managed tiers).
    protocol: 2,
    connectTimeout: opts.connectTimeoutMs ?? 2000,
    commandTimeout: opts.commandTimeoutMs ?? 5000,
    // A request waits for at most one reconnect attempt, then fails: serving code must not hang on Redis.
    maxRetriesPerRequest: 1,
    connectionName: 'featuregraph',
  };
  const cluster = opts.clusterNodes && opts.clusterNodes.length > 0 ? opts.clusterNodes : null;
  const { Cluster: ClusterClient, Redis: RedisClient } = ioredis();
  const client: Redis | Cluster = cluster
    ? new ClusterClient(
        cluster.map((n) => {
          const i = n.lastIndexOf(':');
          return { host: n.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(n.slice(i + 1)) };
        }),
        {
          redisOptions: common,
          clusterRetryStrategy: retryDelay,
          // The offline queue only holds requests made before the first connection is up (see assertUp).
          enableOfflineQueue: true,
          slotsRefreshTimeout: 2000,
          // ioredis neither reconnects a lost node nor refreshes the slot map on its own by default; a
          // periodic refresh brings a restarted node back into the pool, so the store recovers by itself.
          slotsRefreshInterval: 2000,
        },
      )
    : new RedisClient(opts.url ?? DEFAULT_REDIS_URL, { ...common, retryStrategy: retryDelay, enableOfflineQueue: true });
  const where = cluster ? `cluster ${cluster.join(',')}` : redact(opts.url ?? DEFAULT_REDIS_URL);

  // Down from the first lost (or failed) connection until the next 'ready'; before the first attempt ends,
  // requests queue so that a freshly created store can be used at once.
  let down = false;
  let lastError: Error | null = null;
  let readies = 0;
  client.on('ready', () => {
    readies++;
    down = false;
    lastError = null;
  });
  client.on('close', () => (down = true));
  client.on('end', () => (down = true));
  // Without a listener ioredis logs every reconnect failure; the error reaches callers through wrap().
  client.on('error', (err: Error) => (lastError = err));
  client.on('node error', (err: Error) => (lastError = err));

  const wrap = (err: unknown): RedisStoreError => {
    if (err instanceof RedisStoreError) return err;
    const message = err instanceof Error ? err.message : String(err);
    const unavailable = CONNECTION_ERROR.test(message) || down;
    const detail = unavailable && lastError && lastError.message !== message ? ` (${lastError.message})` : '';
    return new RedisStoreError(
      unavailable ? `Redis online store unreachable at ${where}: ${message}${detail}` : `Redis online store at ${where}: ${message}`,
      unavailable ? 'REDIS_UNAVAILABLE' : 'REDIS_ERROR',
      { cause: err },
    );
  };

  return {
    client,
    where,
    assertUp() {
      if (client.status === 'end') throw new RedisStoreError(`Redis online store at ${where} is closed`, 'REDIS_UNAVAILABLE');
      if (down && client.status !== 'ready') {
        const cause = lastError ? ` (${(lastError as Error).message})` : '';
        throw new RedisStoreError(
          `Redis online store unreachable at ${where}: connection lost, ${client.status}${cause}`,
          'REDIS_UNAVAILABLE',
          {
            cause: lastError ?? undefined,
          },
        );
      }
    },
    wrap,
    readyCount: () => readies,
    async close() {
      if (client.status === 'end') return;
      if (client.status === 'ready') {
        try {
          await client.quit();
          return;
        } catch {
          // fall through: drop the connection
        }
      }
      client.disconnect();
    },
  };
};

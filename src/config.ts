import { resolve } from 'node:path';

/** Configuration from the environment (docs/architecture.md), each overridable by a CLI flag. */
export interface Config {
  /** Postgres offline store and registry; unset → embedded PGlite in the data dir. */
  readonly databaseUrl?: string;
  /** Redis online store; unset (and no cluster nodes) → a table in the SQL database. */
  readonly redisUrl?: string;
  /** `host:port` seeds of a Redis Cluster. */
  readonly redisClusterNodes?: readonly string[];
  /** Module exporting the repository (default export or `repository`). */
  readonly definitions: string;
  /** Overrides the repository's project name. */
  readonly project?: string;
  readonly dataDir: string;
  readonly port: number;
}

export type ConfigOverrides = Partial<{ [K in keyof Config]: Config[K] | undefined }>;

const nonEmpty = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

/**
 * A store URL's scheme checked before any connection is tried: a value that is not such a URL (a typo, a bare
 * host name) would otherwise surface as a driver error about some host it was parsed into. The value itself is
 * not repeated, since it may hold a password.
 */
const checkUrl = (value: string | undefined, what: string, schemes: readonly string[], example: string): void => {
  if (value === undefined) return;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || !schemes.includes(scheme))
    throw new Error(
      `${what} must be a ${schemes.map((x) => `${x}://`).join(' or ')} URL such as ${example}, got ${scheme === undefined ? 'something that is not a URL' : `a ${scheme}:// URL`}`,
    );
};

export const loadConfig = (overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config => {
  const port = overrides.port ?? Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(
      `${overrides.port !== undefined ? '--port' : 'PORT'} must be a port number (0 to 65535), got ${JSON.stringify(overrides.port ?? env.PORT)}`,
    );
  const nodes =
    overrides.redisClusterNodes ??
    nonEmpty(env.REDIS_CLUSTER_NODES)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const databaseUrl = overrides.databaseUrl ?? nonEmpty(env.DATABASE_URL);
  const redisUrl = overrides.redisUrl ?? nonEmpty(env.REDIS_URL);
  const project = overrides.project ?? nonEmpty(env.FEATUREGRAPH_PROJECT);
  checkUrl(
    databaseUrl,
    overrides.databaseUrl ? '--database-url' : 'DATABASE_URL',
    ['postgres', 'postgresql'],
    'postgres://user@host:5432/db',
  );
  checkUrl(redisUrl, overrides.redisUrl ? '--redis-url' : 'REDIS_URL', ['redis', 'rediss'], 'redis://host:6379');
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(nodes?.length ? { redisClusterNodes: nodes } : {}),
    ...(project ? { project } : {}),
    definitions: resolve(overrides.definitions ?? nonEmpty(env.FEATUREGRAPH_DEFINITIONS) ?? 'schema/index.ts'),
    dataDir: resolve(overrides.dataDir ?? nonEmpty(env.FEATUREGRAPH_DATA_DIR) ?? '.featuregraph'),
    port,
  };
};

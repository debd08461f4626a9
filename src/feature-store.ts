import type { Config } from './config.js';
import { DefinitionError } from './definitions/errors.js';
import { loadDefinitions } from './definitions/load.js';
import type { Repository } from './definitions/objects.js';
import { resolveRepository, type ResolvedRepository } from './definitions/resolve.js';
import { validateRepository } from './definitions/validate.js';
import { createRedisOnlineStore } from './online/redis.js';
import { createSqlOnlineStore } from './online/sql.js';
import type { OnlineStore } from './online/store.js';
import { openSql, type SqlClient } from './sql/index.js';
import { openOfflineStore } from './offline/index.js';
import type { OfflineStore } from './offline/store.js';

/** Everything the CLI and the server work with, opened from a Config. */
export interface FeatureStore {
  readonly config: Config;
  readonly definitions: Repository;
  readonly repo: ResolvedRepository;
  readonly project: string;
  /** Registry (and the Postgres/PGlite offline tables). */
  readonly sql: SqlClient;
  /** Offline store: Postgres/PGlite sources and push tables, Parquet files through DuckDB. */
  readonly offline: OfflineStore;
  readonly online: OnlineStore;
  close(): Promise<void>;
}

/** Load and statically validate the definitions; throws DefinitionError listing every problem. */
export const loadRepository = async (config: Config): Promise<{ definitions: Repository; repo: ResolvedRepository }> => {
  const definitions = await loadDefinitions(config.definitions);
  const problems = validateRepository(definitions, config.project);
  if (problems.length) throw new DefinitionError(problems);
  return { definitions, repo: resolveRepository(definitions, config.project) };
};

export const openOnlineStore = (config: Config, sql: SqlClient, project: string): OnlineStore =>
  config.redisUrl || config.redisClusterNodes
    ? createRedisOnlineStore({
        project,
        ...(config.redisClusterNodes ? { clusterNodes: [...config.redisClusterNodes] } : { url: config.redisUrl }),
      })
    : createSqlOnlineStore(sql, project);

export const openFeatureStore = async (config: Config): Promise<FeatureStore> => {
  const { definitions, repo } = await loadRepository(config);
  const sql = await openSql({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  const online = openOnlineStore(config, sql, repo.project);
  const offline = openOfflineStore(sql);
  return {
    config,
    definitions,
    repo,
    project: repo.project,
    sql,
    offline,
    online,
    async close() {
      await online.close().catch(() => undefined);
      await offline.close().catch(() => undefined);
      await sql.close().catch(() => undefined);
    },
  };
};

import type { Config } from '../config.js';
import { loadRepository } from '../feature-store.js';
import { openSql, type SqlClient } from '../sql/index.js';
import { openKeyLookup, type KeyLookup, type KeyLookupOptions } from './key-lookup.js';
import { activeKeyCount } from './key-store.js';

/** Why `serve` will not start: it says how to fix it. */
export const noKeysMessage = (project: string): string =>
  `project ${project} has no API keys, so anyone could read every feature and push to every view. ` +
  'Create one first (featuregraph keys create --name NAME --scopes read:*), ' +
  'or pass --allow-anonymous to serve without authentication (docs/auth.md).';

/** Whether the project has keys; throws when it has none and anonymous serving is not allowed. */
const requireKeys = async (sql: SqlClient, project: string, allowAnonymous: boolean): Promise<boolean> => {
  if ((await activeKeyCount(sql, project)) > 0) return true;
  if (allowAnonymous) return false;
  throw new Error(noKeysMessage(project));
};

/**
 * The keys a server checks requests against: refuses (throws) when the project has none, unless
 * anonymous serving is allowed, in which case it returns null and the server runs without keys.
 * With keys, authentication is on whatever `allowAnonymous` says.
 */
export const keysForServing = async (
  sql: SqlClient,
  project: string,
  opts: { allowAnonymous: boolean } & Partial<Omit<KeyLookupOptions, 'sql' | 'project'>>,
): Promise<KeyLookup | null> => {
  const { allowAnonymous, ...lookup } = opts;
  return (await requireKeys(sql, project, allowAnonymous)) ? openKeyLookup({ sql, project, ...lookup }) : null;
};

/** The same refusal, made once by the primary of `serve --workers` before it forks (Postgres only). */
export const checkKeysBeforeForking = async (config: Config, allowAnonymous: boolean): Promise<void> => {
  if (!config.databaseUrl) return;
  const { repo } = await loadRepository(config);
  const sql = await openSql({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await requireKeys(sql, repo.project, allowAnonymous);
  } finally {
    await sql.close();
  }
};

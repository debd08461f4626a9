import { userInfo } from 'node:os';
import { projectSchema, quoteIdent } from '../definitions/resolve.js';
import { relationExists } from '../sql/catalog.js';
import type { SqlClient } from '../sql/client.js';
import { hashSecret, newSecret } from './key-secret.js';

/**
 * API keys in the registry database, next to the project's registry tables (docs/auth.md). Only the
 * sha256 of a secret is stored. A revoked key keeps its row (revoked_at set) as a record; a name is unique
 * among active keys only, so a name can be reused after revoking it.
 */
export const keysTable = (project: string): string => `${quoteIdent(projectSchema(project))}.${quoteIdent('api_keys')}`;

export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$/;

export interface ApiKeyInfo {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly createdBy: string;
  /** Updated by servers every few seconds, not per request; null if never used. */
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** An active key as a server holds it. */
export interface StoredKey {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly secretHash: string;
}

/** A problem with the caller's request (duplicate or unknown name): the CLI prints it as is. */
export class KeyStoreError extends Error {
  override readonly name = 'KeyStoreError';
}

const ddl = (project: string): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(projectSchema(project))}`,
  `CREATE TABLE IF NOT EXISTS ${keysTable(project)} (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    secret_hash text NOT NULL UNIQUE,
    scopes jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS api_keys_active_name ON ${keysTable(project)} (name) WHERE revoked_at IS NULL`,
];

/** Serialise key writers of a project; also keeps concurrent first writers from racing on CREATE TABLE. */
const lockKeys = (tx: SqlClient, project: string) =>
  tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`featuregraph.keys.${project}`]);

/** Whether the project has a keys table; reads never create it. */
const keysTableExists = (sql: SqlClient, project: string): Promise<boolean> => relationExists(sql, keysTable(project));

const defaultUser = (): string => {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return 'unknown';
  }
};

/** Create a key; the secret is returned here and nowhere else. Scopes are expected to be parsed already. */
export const createApiKey = async (
  sql: SqlClient,
  project: string,
  key: { name: string; scopes: readonly string[]; createdBy?: string },
): Promise<{ info: ApiKeyInfo; secret: string }> => {
  if (!KEY_NAME.test(key.name))
    throw new KeyStoreError(
      `key name ${JSON.stringify(key.name)} must start with a letter or digit and use only letters, digits and _ . @ - (at most 100)`,
    );
  const secret = newSecret();
  return sql.transaction(async (tx) => {
    await lockKeys(tx, project);
    for (const d of ddl(project)) await tx.query(d);
    const dup = await tx.query(`SELECT 1 FROM ${keysTable(project)} WHERE name = $1 AND revoked_at IS NULL`, [key.name]);
    if (dup.rows.length)
      throw new KeyStoreError(
        `an active key named "${key.name}" already exists; revoke it first (featuregraph keys revoke ${key.name}) or choose another name`,
      );
    const r = await tx.query<{ created_at: Date; created_by: string }>(
      `INSERT INTO ${keysTable(project)} (name, secret_hash, scopes, created_by) VALUES ($1, $2, $3::jsonb, $4) RETURNING created_at, created_by`,
      [key.name, hashSecret(secret), JSON.stringify(key.scopes), key.createdBy ?? defaultUser()],
    );
    const row = r.rows[0];
    if (!row) throw new Error('the new key was not stored');
    return {
      info: {
        name: key.name,
        scopes: [...key.scopes],
        createdAt: row.created_at,
        createdBy: row.created_by,
        lastUsedAt: null,
        revokedAt: null,
      },
      secret,
    };
  });
};

interface KeyRow {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  created_at: Date;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** Keys by name (active first, then revoked ones when asked); never secrets or hashes. */
export const listApiKeys = async (sql: SqlClient, project: string, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> => {
  if (!(await keysTableExists(sql, project))) return [];
  const r = await sql.query<KeyRow>(
    `SELECT name, scopes, created_at, created_by, last_used_at, revoked_at FROM ${keysTable(project)}
      ${opts.includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY revoked_at IS NOT NULL, name, created_at`,
  );
  return r.rows.map((k) => ({
    name: k.name,
    scopes: k.scopes,
    createdAt: k.created_at,
    createdBy: k.created_by,
    lastUsedAt: k.last_used_at,
    revokedAt: k.revoked_at,
  }));
};

/** Revoke the active key `name`; servers stop accepting it at their next refresh (docs/auth.md). */
export const revokeApiKey = async (sql: SqlClient, project: string, name: string): Promise<void> => {
  const active = await sql.transaction(async (tx) => {
    if (!(await keysTableExists(tx, project))) return [];
    await lockKeys(tx, project);
    const r = await tx.query(`UPDATE ${keysTable(project)} SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL`, [name]);
    if (r.rowCount > 0) return null;
    return (await tx.query<{ name: string }>(`SELECT name FROM ${keysTable(project)} WHERE revoked_at IS NULL ORDER BY name`)).rows.map(
      (k) => k.name,
    );
  });
  if (active) throw new KeyStoreError(`no active key named "${name}"; active keys: ${active.join(', ') || '(none)'}`);
};

/** The active keys, as a server loads them. */
export const loadActiveKeys = async (sql: SqlClient, project: string): Promise<StoredKey[]> => {
  if (!(await keysTableExists(sql, project))) return [];
  const r = await sql.query<KeyRow>(`SELECT id::text AS id, name, secret_hash, scopes FROM ${keysTable(project)} WHERE revoked_at IS NULL`);
  return r.rows.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, secretHash: k.secret_hash }));
};

export const activeKeyCount = async (sql: SqlClient, project: string): Promise<number> => (await loadActiveKeys(sql, project)).length;

/** Record when keys were last used, in one statement; a later time never goes backwards. */
export const recordKeyUse = async (sql: SqlClient, project: string, uses: ReadonlyMap<string, number>): Promise<void> => {
  if (uses.size === 0) return;
  const ids = [...uses.keys()];
  const times = ids.map((id) => new Date(uses.get(id) ?? 0).toISOString());
  await sql.query(
    `UPDATE ${keysTable(project)} k SET last_used_at = GREATEST(k.last_used_at, u.at)
       FROM (SELECT (x->>'id')::bigint AS id, (x->>'at')::timestamptz AS at FROM jsonb_array_elements($1::jsonb) x) u
      WHERE k.id = u.id`,
    [JSON.stringify(ids.map((id, i) => ({ id, at: times[i] })))],
  );
};

import type { SqlClient } from '../sql/client.js';
import { registryExists, registryTable } from './tables.js';
import type { ObjectChange, ObjectKind, ObjectSpecJson, RegistryObject, RegistryVersion } from './types.js';

interface VersionRow {
  version: number;
  applied_at: Date;
  applied_by: string;
  repository_hash: string;
  changes: ObjectChange[] | string;
}

interface ObjectRow {
  registry_version: number;
  kind: ObjectKind;
  name: string;
  content_hash: string;
  object_version: number;
  spec: ObjectSpecJson | string;
}

// jsonb arrives parsed from both drivers; the string case guards a text-typed result.
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const toVersion = (r: VersionRow): RegistryVersion => ({
  version: Number(r.version),
  appliedAt: new Date(r.applied_at),
  appliedBy: r.applied_by,
  repositoryHash: r.repository_hash,
  changes: json(r.changes),
});

export const toRegistryObject = (r: ObjectRow): RegistryObject => {
  const spec = json(r.spec);
  return {
    kind: r.kind,
    name: r.name,
    hash: r.content_hash,
    spec,
    version: Number(r.object_version),
    registryVersion: Number(r.registry_version),
    description: spec.description,
    owner: spec.owner,
    tags: spec.tags,
  };
};

/** The current (latest) registry version, or null when nothing was applied. */
export const getCurrentVersion = async (sql: SqlClient, project: string): Promise<RegistryVersion | null> => {
  if (!(await registryExists(sql, project))) return null;
  const r = await sql.query<VersionRow>(`SELECT * FROM ${registryTable(project, 'registry_versions')} ORDER BY version DESC LIMIT 1`);
  return r.rows[0] ? toVersion(r.rows[0]) : null;
};

/** Every applied version, newest first. */
export const listHistory = async (sql: SqlClient, project: string): Promise<RegistryVersion[]> => {
  if (!(await registryExists(sql, project))) return [];
  const r = await sql.query<VersionRow>(`SELECT * FROM ${registryTable(project, 'registry_versions')} ORDER BY version DESC`);
  return r.rows.map(toVersion);
};

export interface ListObjectsOptions {
  /** A registry version; the current one when omitted. */
  readonly version?: number;
  readonly kind?: ObjectKind;
}

/** The objects of a registry version (the current one by default), by kind then name. */
export const listObjects = async (sql: SqlClient, project: string, options: ListObjectsOptions = {}): Promise<RegistryObject[]> => {
  if (!(await registryExists(sql, project))) return [];
  const versions = registryTable(project, 'registry_versions');
  const r = await sql.query<ObjectRow>(
    `SELECT * FROM ${registryTable(project, 'registry_objects')}
      WHERE registry_version = COALESCE($1::integer, (SELECT max(version) FROM ${versions}))
        AND ($2::text IS NULL OR kind = $2)
      ORDER BY array_position(ARRAY['entity','source','feature_view','on_demand_view','feature_service'], kind), name`,
    [options.version ?? null, options.kind ?? null],
  );
  return r.rows.map(toRegistryObject);
};

/** One object of a registry version (the current one by default), or null. */
export const getObject = async (
  sql: SqlClient,
  project: string,
  kind: ObjectKind,
  name: string,
  version?: number,
): Promise<RegistryObject | null> => {
  const all = await listObjects(sql, project, { kind, ...(version !== undefined ? { version } : {}) });
  return all.find((o) => o.name === name) ?? null;
};

import { projectSchema, quoteIdent } from '../definitions/resolve.js';
import { relationExists } from '../sql/catalog.js';
import type { SqlClient } from '../sql/client.js';

/** Registry tables live in the project schema, next to its push and online tables. */
export const registryTable = (project: string, table: 'registry_versions' | 'registry_objects' | 'registry_view_state'): string =>
  `${quoteIdent(projectSchema(project))}.${quoteIdent(table)}`;

export const registryDdl = (project: string): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(projectSchema(project))}`,
  `CREATE TABLE IF NOT EXISTS ${registryTable(project, 'registry_versions')} (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL,
    repository_hash text NOT NULL,
    changes jsonb NOT NULL
  )`,
  // A full snapshot per version: any version can be read back without replaying history.
  `CREATE TABLE IF NOT EXISTS ${registryTable(project, 'registry_objects')} (
    registry_version integer NOT NULL REFERENCES ${registryTable(project, 'registry_versions')} (version),
    kind text NOT NULL,
    name text NOT NULL,
    content_hash text NOT NULL,
    object_version integer NOT NULL,
    spec jsonb NOT NULL,
    PRIMARY KEY (registry_version, kind, name)
  )`,
  // Per-view materialization state; not versioned, it describes data, not definitions.
  `CREATE TABLE IF NOT EXISTS ${registryTable(project, 'registry_view_state')} (
    view text PRIMARY KEY,
    watermark timestamptz,
    last_materialized_at timestamptz,
    last_range_start timestamptz,
    last_range_end timestamptz,
    last_row_count bigint
  )`,
];

/** Whether the project's registry exists; reads never create it. */
export const registryExists = (sql: SqlClient, project: string): Promise<boolean> =>
  relationExists(sql, registryTable(project, 'registry_versions'));

export const createRegistryTables = async (sql: SqlClient, project: string): Promise<void> => {
  for (const ddl of registryDdl(project)) await sql.query(ddl);
};

/**
 * Serialise registry writers of one project for the rest of the transaction. Taken before
 * the schema exists, so concurrent first applies do not race on CREATE SCHEMA either.
 */
export const lockRegistry = async (tx: SqlClient, project: string): Promise<void> => {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`featuregraph.registry.${project}`]);
};

import type { DefinitionProblem } from '../definitions/errors.js';
import {
  PUSH_CREATED_TS,
  PUSH_EVENT_TS,
  projectSchema,
  pushTableName,
  quoteIdent,
  quoteQualified,
  type ViewSpec,
} from '../definitions/resolve.js';
import { sqlTypeOf } from '../definitions/value-types.js';
import { onlineTable, onlineTableDdl } from '../online/sql-ddl.js';
import type { SqlClient } from '../sql/client.js';
import { columnTypes, formatType } from '../sql/catalog.js';
import { sha256 } from './describe.js';

const MAX_IDENTIFIER = 63;

/** A readable identifier that fits Postgres' 63 bytes; too long ones keep a hash so they stay unique. */
export const indexName = (readable: string): string =>
  readable.length <= MAX_IDENTIFIER ? readable : `${readable.slice(0, MAX_IDENTIFIER - 9)}_${sha256(readable).slice(0, 8)}`;

/** The recommended source index of a view: `(join keys, event timestamp DESC)`, named after table and columns. */
export const sourceIndex = (view: ViewSpec): { name: string; ddl: string } | null => {
  if (view.source.kind !== 'postgres' || view.source.table === null) return null;
  const base = view.source.table.split('.').pop()?.replace(/"/g, '') ?? view.name;
  const cols = [...view.keys.map((k) => k.column), view.source.eventTimestampColumn];
  const name = indexName(`fg_${base}_${cols.join('_')}_idx`);
  const list = [...view.keys.map((k) => quoteIdent(k.column)), `${quoteIdent(view.source.eventTimestampColumn)} DESC`];
  return { name, ddl: `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${view.source.relation} (${list.join(', ')})` };
};

/** Schema of a source table, for reporting where an index was created. */
const schemaOfTable = (table: string): string | null => {
  const parts = quoteQualified(table).split('.');
  return parts.length > 1 ? (parts[0] ?? null) : null;
};

export const createSourceIndex = async (tx: SqlClient, view: ViewSpec): Promise<string | null> => {
  const idx = sourceIndex(view);
  if (!idx) return null;
  await tx.query(idx.ddl);
  const schema = view.source.table ? schemaOfTable(view.source.table) : null;
  return schema ? `${schema.replace(/"/g, '')}.${idx.name}` : idx.name;
};

/** Columns of a push table: join keys, the two timestamps, then features. */
const pushColumns = (view: ViewSpec) => [
  ...view.keys.map((k) => ({ name: k.joinKey, type: sqlTypeOf(k.type), notNull: true, field: k.joinKey })),
  { name: PUSH_EVENT_TS, type: 'timestamptz', notNull: true, field: PUSH_EVENT_TS },
  { name: PUSH_CREATED_TS, type: 'timestamptz', notNull: true, field: PUSH_CREATED_TS },
  ...view.features.map((f) => ({ name: f.name, type: sqlTypeOf(f.type), notNull: false, field: f.name })),
];

export const pushIndexName = (view: string): string => indexName(`push_${view}_key_ts_idx`);

/**
 * Create a push-source view's offline table, or bring an existing one up to date: new features
 * become new (nullable) columns; a column whose type no longer matches is a problem, since
 * rewriting pushed data silently is not apply's call. Columns of removed features stay.
 */
export const ensurePushTable = async (tx: SqlClient, project: string, view: ViewSpec, eventId?: string): Promise<DefinitionProblem[]> => {
  const table = pushTableName(project, view.name);
  const cols = pushColumns(view);
  const found = await columnTypes(tx, table);
  const problems: DefinitionProblem[] = [];
  if (found.size === 0) {
    const defs = cols.map(
      (c) => `${quoteIdent(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.name === PUSH_CREATED_TS ? ' DEFAULT now()' : ''}`,
    );
    await tx.query(`CREATE TABLE ${table} (${defs.join(', ')})`);
  } else {
    for (const c of cols) {
      const type = found.get(c.name);
      if (type === undefined) await tx.query(`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
      else if (type !== formatType(c.type))
        problems.push({
          object: `feature view ${JSON.stringify(view.name)}`,
          field: c.field,
          message: `push table ${projectSchema(project)}.push_${view.name} has column ${c.name} of type ${type}, the definition needs ${c.type}; migrate or drop that column first`,
        });
    }
  }
  // A push table keeps every pushed row: a unique key would turn replays and same-time corrections into
  // errors (docs/writes.md). Data dirs made before this carried a primary key; it goes.
  const unique = await tx.query<{ conname: string }>(
    `SELECT conname FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype IN ('p', 'u')`,
    [table],
  );
  for (const c of unique.rows) await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(c.conname)}`);
  const keys = [...view.keys.map((k) => quoteIdent(k.joinKey)), `${quoteIdent(PUSH_EVENT_TS)} DESC`];
  await tx.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(pushIndexName(view.name))} ON ${table} (${keys.join(', ')})`);
  // An aggregation view's events are found by (keys, event id) on every push (replay detection): without this
  // index each push scanned every stored event of its entities.
  const id = eventId === undefined ? undefined : view.features.find((f) => f.name === eventId);
  if (id)
    await tx.query(
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName(`push_${view.name}_key_id_idx`))} ON ${table} (${[...view.keys.map((k) => quoteIdent(k.joinKey)), quoteIdent(id.column)].join(', ')})`,
    );
  return problems;
};

export const createOnlineTable = async (tx: SqlClient, project: string, view: ViewSpec): Promise<string> => {
  for (const ddl of onlineTableDdl(project, view)) await tx.query(ddl);
  return onlineTable(project, view.name);
};

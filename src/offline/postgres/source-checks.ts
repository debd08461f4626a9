import type { DefinitionProblem } from '../../definitions/errors.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import { Timestamp, compatibleSqlTypes, isCompatibleSqlType, typeLabel, type ValueType } from '../../definitions/value-types.js';
import { columnTypes, relationExists } from '../../sql/catalog.js';
import type { SqlClient } from '../../sql/client.js';

/** Column name → SQL type as `format_type` prints it. */
type Columns = Map<string, string>;

interface Described {
  readonly columns?: Columns;
  /** Why the relation could not be described. */
  readonly error?: string;
}

/**
 * Describe a source's columns. A query source is described through a temporary view, which
 * plans the query without running it. Each attempt sits in a savepoint so a failing query
 * does not abort the enclosing transaction (the caller's, if `tx` is one).
 */
const describeSource = async (tx: SqlClient, view: ViewSpec, seq: number): Promise<Described> => {
  await tx.query('SAVEPOINT fg_source_check');
  try {
    if (view.source.table !== null) {
      if (!(await relationExists(tx, view.source.relation))) return { error: `table ${view.source.table} does not exist` };
      return { columns: await columnTypes(tx, view.source.relation) };
    }
    const temp = `fg_source_check_${seq}`;
    await tx.query(`CREATE TEMPORARY VIEW ${temp} AS SELECT * FROM ${view.source.relation} AS q`);
    return { columns: await columnTypes(tx, temp) };
  } catch (err) {
    return { error: `query fails: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    // Also drops the temporary view: nothing of the check outlives it.
    await tx.query('ROLLBACK TO SAVEPOINT fg_source_check');
    await tx.query('RELEASE SAVEPOINT fg_source_check');
  }
};

const TIMESTAMP_TYPES = 'timestamptz, timestamp or date';

/** The problems of one postgres-source view against its described columns. */
export const checkColumns = (view: ViewSpec, columns: Columns): DefinitionProblem[] => {
  const problems: DefinitionProblem[] = [];
  const object = `feature view ${JSON.stringify(view.name)}`;
  const where =
    view.source.table ??
    (view.source.path !== null ? `the Parquet files ${view.source.path}` : `the query of source "${view.source.sourceName}"`);
  const available = [...columns.keys()].join(', ') || 'no columns';
  const check = (field: string, column: string, type: ValueType, expected: string) => {
    const mapped = column === field ? `column ${column}` : `column ${column} (mapped from ${field})`;
    const found = columns.get(column);
    if (found === undefined) problems.push({ object, field, message: `${mapped} does not exist in ${where} (it has ${available})` });
    else if (!isCompatibleSqlType(type, found)) problems.push({ object, field, message: `${mapped} of ${where} is ${found}; ${expected}` });
  };
  for (const k of view.keys) check(k.joinKey, k.column, k.type, `join key ${typeLabel(k.type)} needs ${compatibleSqlTypes(k.type)}`);
  for (const f of view.features) check(f.name, f.column, f.type, `${typeLabel(f.type)} needs ${compatibleSqlTypes(f.type)}`);
  const ts = (field: string, column: string, what: string) => {
    const found = columns.get(column);
    if (found === undefined)
      problems.push({ object, field, message: `${what} column ${column} does not exist in ${where} (it has ${available})` });
    else if (!isCompatibleSqlType(Timestamp, found))
      problems.push({ object, field, message: `${what} column ${column} of ${where} is ${found}; it needs ${TIMESTAMP_TYPES}` });
  };
  ts('timestampField', view.source.eventTimestampColumn, 'event timestamp');
  if (view.source.createdTimestampColumn !== null) ts('createdTimestampColumn', view.source.createdTimestampColumn, 'created timestamp');
  return problems;
};

/**
 * Check every postgres source against the database: its table exists (or its query plans),
 * and every join key, feature and timestamp column exists with a compatible SQL type.
 * Every problem is returned, not only the first. Push sources are featuregraph's own tables.
 */
export const checkSourceColumns = async (sql: SqlClient, all: readonly ViewSpec[]): Promise<DefinitionProblem[]> => {
  const views = all.filter((v) => v.source.kind === 'postgres');
  if (views.length === 0) return [];
  return sql.transaction(async (tx) => {
    const problems: DefinitionProblem[] = [];
    let seq = 0;
    for (const view of views) {
      const d = await describeSource(tx, view, ++seq);
      if (d.columns) problems.push(...checkColumns(view, d.columns));
      else problems.push({ object: `feature view ${JSON.stringify(view.name)}`, field: 'source', message: d.error ?? 'cannot be read' });
    }
    return problems;
  });
};

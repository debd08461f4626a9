import type { DefinitionProblem } from '../../definitions/errors.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import { checkColumns } from '../postgres/source-checks.js';
import type { DuckDb } from './connection.js';
import { parquetRelation } from './relation.js';

/** DuckDB type names → the Postgres names the value-type compatibility table uses (value-types.ts). */
const BASE: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'smallint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  UTINYINT: 'smallint',
  USMALLINT: 'integer',
  UINTEGER: 'bigint',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  BLOB: 'bytea',
  DATE: 'date',
  TIMESTAMP: 'timestamp without time zone',
  TIMESTAMP_MS: 'timestamp without time zone',
  TIMESTAMP_NS: 'timestamp without time zone',
  TIMESTAMP_S: 'timestamp without time zone',
  'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  JSON: 'jsonb',
};

const asPostgresType = (duck: string): string => {
  const list = duck.endsWith('[]');
  const base = (list ? duck.slice(0, -2) : duck).replace(/\(.*\)$/, '');
  const pg = base === 'DECIMAL' ? 'numeric' : (BASE[base] ?? duck.toLowerCase());
  return list ? `${pg}[]` : pg;
};

/**
 * Check every file-source view: its files can be read, and every join key, feature and timestamp column
 * exists with a compatible type, with the same messages as Postgres sources. The schema is read from the
 * Parquet footers (DESCRIBE), not the data.
 */
export const checkFileSources = async (db: DuckDb, views: readonly ViewSpec[]): Promise<DefinitionProblem[]> => {
  const problems: DefinitionProblem[] = [];
  for (const view of views) {
    try {
      const described = await db.with(async (c) =>
        (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${parquetRelation(view.source.path ?? '')}`)).getRowObjects(),
      );
      const columns = new Map(described.map((r) => [String(r.column_name), asPostgresType(String(r.column_type))]));
      problems.push(...checkColumns(view, columns));
    } catch (err) {
      // DuckDB's message names the file pattern and the reason (no match, not Parquet): the operator's own path.
      const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'cannot be read';
      problems.push({
        object: `feature view ${JSON.stringify(view.name)}`,
        field: 'source',
        message: `Parquet files of source "${view.source.sourceName}" cannot be read: ${reason}`,
      });
    }
  }
  return problems;
};

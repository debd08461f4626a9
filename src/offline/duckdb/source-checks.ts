import type { DefinitionProblem } from '../../definitions/errors.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import { checkColumns } from '../postgres/source-checks.js';
import type { DuckDb } from './connection.js';
import { asPostgresType } from './column-types.js';
import { parquetRelation } from './relation.js';

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

import type { SqlClient } from './client.js';

/** Whether a relation (`schema.table`, quoted as needed) exists: reads that must not create it ask this first. */
export const relationExists = async (sql: SqlClient, relation: string): Promise<boolean> =>
  ((await sql.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [relation])).rows[0]?.t ?? null) !== null;

/** A relation's columns and their types as Postgres prints them (`format_type`), in column order; none when it does not exist. */
export const columnTypes = async (sql: SqlClient, relation: string): Promise<Map<string, string>> => {
  const r = await sql.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [relation],
  );
  return new Map(r.rows.map((c) => [c.name, c.type]));
};

/** A column type as DDL writes it (`timestamptz`, `timestamptz[]`) in the form `format_type` prints it. */
export const formatType = (sqlType: string): string => sqlType.replace(/^timestamptz/, 'timestamp with time zone');

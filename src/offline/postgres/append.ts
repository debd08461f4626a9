import { PUSH_CREATED_TS, quoteIdent, type ViewSpec } from '../../definitions/resolve.js';
import { toSqlParam } from '../../definitions/values.js';
import { sqlTypeOf } from '../../definitions/value-types.js';
import type { SqlClient } from '../../sql/client.js';
import type { AppendRow } from '../store.js';

/**
 * Append validated rows to the view's offline source in one statement: the push table of a push-source
 * view, or the source table of a table-backed view (through its field mapping), so pushed rows are part
 * of history and training data too.
 */
export const appendOffline = async (sql: SqlClient, view: ViewSpec, rows: readonly AppendRow[]): Promise<number> => {
  if (rows.length === 0) return 0;
  const src = view.source;
  // A push-source view's relation is its push table.
  const relation = src.relation;
  const createdCol = src.createdTimestampColumn;
  const cols = [...view.keys.map((k) => k.column), src.eventTimestampColumn, createdCol ?? '', ...view.features.map((f) => f.column)];
  const types = [...view.keys.map((k) => sqlTypeOf(k.type)), 'timestamptz', 'timestamptz', ...view.features.map((f) => sqlTypeOf(f.type))];
  // Each column travels as a JSON array (list features would not survive unnest of a 2-D array).
  const params = cols.map((_, ci) =>
    JSON.stringify(
      rows.map((r) => {
        if (ci < view.keys.length) return toSqlParam(view.keys[ci]!.type, r.keys[view.keys[ci]!.joinKey] ?? null);
        if (ci === view.keys.length) return r.row.eventTs.toISOString();
        if (ci === view.keys.length + 1) return r.row.createdTs?.toISOString() ?? null;
        const f = view.features[ci - view.keys.length - 2]!;
        const v = toSqlParam(f.type, r.row.values[f.name] ?? null);
        return f.type.kind === 'scalar' && f.type.name === 'Json' && typeof v === 'string' ? JSON.parse(v) : v;
      }),
    ),
  );
  const selects = cols.map((c, i) => {
    const t = types[i]!;
    const elem = `(j${i}.value)`;
    const expr = t.endsWith('[]')
      ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${elem}))::${t} END`
      : t === 'jsonb'
        ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ${elem} END`
        : t === 'bytea'
          ? `decode(${elem} #>> '{}', 'base64')`
          : `(${elem} #>> '{}')::${t}`;
    return `${expr} AS ${quoteIdent(c || PUSH_CREATED_TS)}`;
  });
  const from = cols.map((_, i) => `jsonb_array_elements($${i + 1}::jsonb) WITH ORDINALITY AS j${i}(value, n)`).join(', ');
  const where = cols
    .slice(1)
    .map((_, i) => `j${i + 1}.n = j0.n`)
    .join(' AND ');
  const keep = cols.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
  const r = await sql.query(
    `INSERT INTO ${relation} (${keep.map((i) => quoteIdent(cols[i]!)).join(', ')})
     SELECT ${keep.map((i) => selects[i]).join(', ')} FROM ${from}${where ? ` WHERE ${where}` : ''}`,
    params,
  );
  return r.rowCount;
};

import { quoteIdent, type ViewSpec } from '../../definitions/resolve.js';

/**
 * The deterministic "greatest row" order of docs/semantics.md, newest first, for a source relation aliased `alias`:
 * event time, then created time (rows without one sort last), then — for rows that still tie — the feature
 * values in declaration order, each descending with nulls last (text compared bytewise, COLLATE "C").
 * Materialization and every point-in-time query use this one order; the online stores compare the same
 * order through `tieKey` (src/online/tie-key.ts, docs/writes.md): Json by its jsonb text, lists element by
 * element (Postgres' array order), so both sides can compute it.
 */
export const latestFirstOrder = (view: ViewSpec, alias: string, times: 'source' | 'milliseconds' = 'source'): string => {
  const col = (c: string) => `${alias}.${quoteIdent(c)}`;
  // Aggregations read times as milliseconds (docs/aggregations.md): a source's microseconds do not order them.
  const time = (c: string) => (times === 'milliseconds' ? `date_trunc('milliseconds', ${col(c)})` : col(c));
  const parts = [`${time(view.source.eventTimestampColumn)} DESC`];
  if (view.source.createdTimestampColumn) parts.push(`${time(view.source.createdTimestampColumn)} DESC NULLS LAST`);
  for (const f of view.features) {
    const t = f.type;
    const c = col(f.column);
    const expr =
      t.kind === 'list'
        ? t.of.name === 'Json'
          ? `(CASE WHEN ${c} IS NULL THEN NULL ELSE ARRAY(SELECT e::jsonb::text FROM unnest(${c}) WITH ORDINALITY AS u(e, o) ORDER BY o) END) COLLATE "C"`
          : t.of.name === 'String'
            ? `${c}::text[] COLLATE "C"`
            : c
        : t.name === 'Json'
          ? `${c}::jsonb::text COLLATE "C"`
          : t.name === 'Bytes'
            ? `${c}::text COLLATE "C"`
            : t.name === 'String'
              ? `${c}::text COLLATE "C"`
              : c;
    parts.push(`${expr} DESC NULLS LAST`);
  }
  return parts.join(', ');
};

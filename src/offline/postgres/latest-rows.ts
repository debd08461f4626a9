import { quoteIdent, type ViewSpec } from '../../definitions/resolve.js';
import { fromSql, encodeEntityKey, canonicalKeyPart, type FeatureValue } from '../../definitions/values.js';
import type { OnlineRow } from '../../online/store.js';
import type { SqlClient } from '../../sql/client.js';
import type { LatestRowsWindow } from '../store.js';
import { latestFirstOrder } from './ordering.js';

/**
 * The per-key latest row of a view among the source rows of `window` (docs/semantics.md), in the one deterministic
 * order, as a SELECT the cursor streams, with its parameters.
 */
export const latestRowsQuery = (view: ViewSpec, window: LatestRowsWindow): { text: string; params: unknown[] } => {
  const keys = view.keys.map((k) => `s.${quoteIdent(k.column)}`);
  const ev = `s.${quoteIdent(view.source.eventTimestampColumn)}`;
  const cr = view.source.createdTimestampColumn ? `s.${quoteIdent(view.source.createdTimestampColumn)}` : null;
  const cols = onlineRowColumns(view, 's');
  const params: unknown[] = [window.end];
  const where = [`${ev} <= $1`, ...keys.map((k) => `${k} IS NOT NULL`)];
  if (window.eventFrom) where.push(`${ev} >= $${params.push(window.eventFrom)}`);
  if (window.since) {
    // A row without a created time (NULL) is only caught by its event time.
    const newer = [`${ev} >= $${params.push(window.since.eventFrom)}`];
    if (cr && window.since.createdFrom) newer.unshift(`${cr} >= $${params.push(window.since.createdFrom)}`);
    where.push(`(${newer.join(' OR ')})`);
  }
  return {
    text:
      `SELECT DISTINCT ON (${keys.join(', ')}) ${cols.join(', ')} FROM ${view.source.relation} s ` +
      `WHERE ${where.join(' AND ')} ORDER BY ${keys.join(', ')}, ${latestFirstOrder(view, 's')}`,
    params,
  };
};

/** The select list `onlineRow` decodes, over the source rows aliased `alias`: keys `k<i>`, `event_ts`, `created_ts`, features `f<i>`. */
export const onlineRowColumns = (view: ViewSpec, alias: string): string[] => {
  const cr = view.source.createdTimestampColumn;
  return [
    ...view.keys.map((k, i) => `${alias}.${quoteIdent(k.column)} AS k${i}`),
    `${alias}.${quoteIdent(view.source.eventTimestampColumn)} AS event_ts`,
    `${cr ? `${alias}.${quoteIdent(cr)}` : 'NULL::timestamptz'} AS created_ts`,
    ...view.features.map((f, i) => `${alias}.${quoteIdent(f.column)} AS f${i}`),
  ];
};

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));

/** Decode one streamed source row into an online row. */
export const onlineRow = (view: ViewSpec, r: Record<string, unknown>): OnlineRow => {
  const parts = view.keys.map((k, i) => {
    const c = canonicalKeyPart(k.type, k.type.name === 'String' ? String(r[`k${i}`]) : r[`k${i}`]);
    return 'value' in c ? c.value : String(r[`k${i}`]);
  });
  const values: Record<string, FeatureValue> = {};
  view.features.forEach((f, i) => (values[f.name] = fromSql(f.type, r[`f${i}`])));
  return {
    key: encodeEntityKey(parts),
    eventTs: toDate(r.event_ts),
    createdTs: r.created_ts == null ? null : toDate(r.created_ts),
    values,
  };
};

/** Stream the window's per-key latest rows through a cursor (bounded memory), decoded into online rows. */
export async function* latestRows(sql: SqlClient, view: ViewSpec, window: LatestRowsWindow, batchSize: number): AsyncIterable<OnlineRow[]> {
  const q = latestRowsQuery(view, window);
  for await (const batch of sql.cursor<Record<string, unknown>>(q.text, q.params, batchSize)) yield batch.map((r) => onlineRow(view, r));
}

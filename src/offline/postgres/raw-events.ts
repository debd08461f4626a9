import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import { quoteIdent } from '../../definitions/resolve.js';
import type { OnlineRow } from '../../online/store.js';
import type { SqlClient } from '../../sql/client.js';
import { onlineRow, onlineRowColumns } from './latest-rows.js';
import { noEarlierCopy, sourceDedupe } from './window-aggregates.js';

/**
 * Raw events of an aggregation view with `from < event_ts <= end` (by millisecond), one copy per (keys, event id) — the one
 * `aggregateAsOf` counts (docs/aggregations.md) — streamed through a cursor for materialization.
 */
export async function* rawEvents(
  sql: SqlClient,
  spec: AggregationSpec,
  from: Date,
  end: Date,
  batchSize: number,
): AsyncIterable<OnlineRow[]> {
  const view = spec.events;
  const keys = view.keys.map((k) => `s.${quoteIdent(k.column)}`);
  const ev = `s.${quoteIdent(view.source.eventTimestampColumn)}`;
  const cr = view.source.createdTimestampColumn ? `s.${quoteIdent(view.source.createdTimestampColumn)}` : null;
  const d = sourceDedupe(spec);
  const id = `s.${d.id}`;
  const cols = onlineRowColumns(view, 's');
  // A source table may hold copies of an event at other times: the copy that counts is chosen among all of them.
  const copies = noEarlierCopy(view.source.relation, quoteIdent(view.source.eventTimestampColumn), d);
  const text =
    `SELECT DISTINCT ON (${[...keys, id].join(', ')}) ${cols.join(', ')} FROM ${view.source.relation} s ` +
    `WHERE ${ev} >= $1::timestamptz + interval '1 millisecond' AND ${ev} < $2::timestamptz + interval '1 millisecond' AND ${[...keys, id].map((k) => `${k} IS NOT NULL`).join(' AND ')}${copies} ` +
    `ORDER BY ${[...keys, id].join(', ')}${cr ? `, ${cr} ASC NULLS FIRST` : ''}, ${ev} ASC`;
  for await (const batch of sql.cursor<Record<string, unknown>>(text, [from, end], batchSize)) yield batch.map((r) => onlineRow(view, r));
}

import type { ViewSpec } from '../../definitions/resolve.js';
import { canonicalKeyPart, encodeEntityKey, type FeatureValue } from '../../definitions/values.js';
import type { OnlineRow } from '../../online/store.js';
import type { LatestRowsWindow } from '../store.js';
import type { DuckDb } from './connection.js';
import { duckValue, F, K, outExpr, sourceSelect, tieOrder, tsLiteral } from './relation.js';

/**
 * Per key, the latest row of the window (materialization, docs/offline-stores.md) in the one order
 * (event, created, tie rule), streamed a DuckDB chunk at a time into batches of at most `batchSize`.
 */
export async function* duckLatestRows(db: DuckDb, view: ViewSpec, window: LatestRowsWindow, batchSize: number): AsyncIterable<OnlineRow[]> {
  const keys = view.keys.map((_, i) => K(i));
  const where = ['fg_ts <= ' + tsLiteral(window.end), ...keys.map((k) => `${k} IS NOT NULL`)];
  if (window.eventFrom) where.push(`fg_ts >= ${tsLiteral(window.eventFrom)}`);
  if (window.since) {
    // A row without a created time is only caught by its event time.
    const newer = [`fg_ts >= ${tsLiteral(window.since.eventFrom)}`];
    if (view.source.createdTimestampColumn && window.since.createdFrom) newer.unshift(`fg_cr >= ${tsLiteral(window.since.createdFrom)}`);
    where.push(`(${newer.join(' OR ')})`);
  }
  const text =
    `SELECT ${keys.join(', ')}, epoch_ms(fg_ts), epoch_ms(fg_cr), ${view.features.map((f, i) => outExpr(f.type, F(i))).join(', ')} ` +
    `FROM (${sourceSelect(view)}) s WHERE ${where.join(' AND ')} ` +
    `QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY fg_ts DESC, fg_cr DESC NULLS LAST, ${tieOrder(view, 's').join(', ')}) = 1`;
  const n = keys.length;
  const decode = (r: readonly unknown[]): OnlineRow => {
    const parts = view.keys.map((k, i) => {
      const c = canonicalKeyPart(k.type, typeof r[i] === 'bigint' ? String(r[i]) : r[i]);
      return 'value' in c ? c.value : String(r[i]);
    });
    const values: Record<string, FeatureValue> = {};
    view.features.forEach((f, i) => (values[f.name] = duckValue(f.type, r[n + 2 + i])));
    return {
      key: encodeEntityKey(parts),
      eventTs: new Date(Number(r[n])),
      createdTs: r[n + 1] === null ? null : new Date(Number(r[n + 1])),
      values,
    };
  };
  const conn = await db.connection();
  try {
    const result = await conn.stream(text);
    let batch: OnlineRow[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const r of chunk.getRows()) {
        batch.push(decode(r));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    conn.closeSync();
  }
}

import { quoteIdent, type ViewSpec } from '../../definitions/resolve.js';
import type { SqlClient } from '../../sql/client.js';
import type { OfflineStore } from '../store.js';
import { postgresPushLedger } from './push-ledger.js';
import { latestRows } from './latest-rows.js';
import { aggregateAsOf } from './aggregate.js';
import { rawEvents } from './raw-events.js';
import { pointInTimeLookup } from './point-in-time.js';
import { checkSourceColumns } from './source-checks.js';
import { postgresTrainingSet } from './training-set.js';

/**
 * The Postgres/PGlite offline store: postgres-source tables and queries, and featuregraph's push tables.
 * It does not own `sql` (the registry shares the client), so `close` leaves it open.
 */
export const createPostgresOfflineStore = (sql: SqlClient): OfflineStore => ({
  engine: sql.dialect,
  sqlDatabase: sql,
  pushes: postgresPushLedger(sql),
  description: sql.description,
  serves: (view: ViewSpec) => view.source.kind === 'postgres' || view.source.kind === 'push',
  pointInTime: (view, requests, features, options) => pointInTimeLookup(sql, view, requests, features, options),
  latestRows: (view, window, batchSize) => latestRows(sql, view, window, batchSize),
  aggregate: (spec, requests, options) => aggregateAsOf(sql, spec, requests, options),
  events: (spec, from, end, batchSize) => rawEvents(sql, spec, from, end, batchSize),
  async clock() {
    const r = await sql.query<{ now: Date | string }>('SELECT now() AS now');
    const v = r.rows[0]?.now;
    return v instanceof Date ? v : new Date(String(v));
  },
  async newestEventTime(view, upTo) {
    const ts = quoteIdent(view.source.eventTimestampColumn);
    try {
      const r = await sql.query<{ m: Date | string | null }>(`SELECT max(${ts}) AS m FROM ${view.source.relation} AS s WHERE ${ts} <= $1`, [
        upTo,
      ]);
      const m = r.rows[0]?.m ?? null;
      return m === null ? null : new Date(m);
    } catch {
      return null; // never applied: no relation yet
    }
  },
  checkSources: (views) => checkSourceColumns(sql, views),
  trainingSet: (plan, request, sink, options) => postgresTrainingSet(sql, plan, request, sink, options),
  async ping() {
    await sql.query('SELECT 1');
  },
  async close() {},
});

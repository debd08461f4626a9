import { fromJson, type FeatureValue } from '../definitions/values.js';

import type { JsonValue } from '../definitions/value-types.js';
import type { SqlClient } from '../sql/client.js';
import { onlineTable, onlineTableDdl } from './sql-ddl.js';
import { createLocalChangeFeed, type LocalChangeFeed } from './changes.js';
import {
  greatestPerKey,
  type AggregationReadRequest,
  type OnlineReadRequest,
  type OnlineRecord,
  type OnlineStore,
  type WriteSummary,
} from './store.js';
import { eventsTableDdl, readSqlAggregations, writeSqlEvents } from './sql-events.js';

const WRITE_CHUNK = 5000;

/**
 * The online store as tables in Postgres or PGlite (the embedded default).
 * Write-if-newer is one INSERT … ON CONFLICT DO UPDATE … WHERE newer by (event, created, tie key) — the
 * offline order (docs/writes.md): atomic per row, so replays and concurrent writers never regress a value.
 * Rows that became the value are announced to this process's subscriptions only (docs/subscriptions.md).
 */
export const createSqlOnlineStore = (sql: SqlClient, project: string): OnlineStore => sqlOnlineStore(sql, project, createLocalChangeFeed());

const sqlOnlineStore = (sql: SqlClient, project: string, changes: LocalChangeFeed): OnlineStore => ({
  kind: 'sql',
  changes,
  description: `SQL online store (${sql.description}, schema fg_${project})`,

  async prepare(views, aggregations = []) {
    await sql.transaction(async (tx) => {
      for (const v of views) for (const ddl of onlineTableDdl(project, v)) await tx.query(ddl);
      for (const a of aggregations) for (const ddl of eventsTableDdl(project, a)) await tx.query(ddl);
    });
  },

  writeEvents: (spec, rows, now = Date.now()) => writeSqlEvents(sql, project, spec, rows, now),

  async write(view, rows): Promise<WriteSummary> {
    // Sorted by key, so concurrent batches lock rows in one order and cannot deadlock.
    const best = greatestPerKey(view, rows).sort((a, b) => (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0));
    let written = 0;
    for (let i = 0; i < best.length; i += WRITE_CHUNK) {
      const chunk = best.slice(i, i + WRITE_CHUNK);
      const t = onlineTable(project, view.name);
      const r = await sql.query<{ entity_key: string }>(
        `INSERT INTO ${t} AS o (entity_key, event_ts, created_ts, payload, payload_text, tie_key)
         SELECT k, e, c, p::jsonb, p, tk FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[]) AS u(k, e, c, p, tk)
         ON CONFLICT (entity_key) DO UPDATE
           SET event_ts = EXCLUDED.event_ts, created_ts = EXCLUDED.created_ts, payload = EXCLUDED.payload,
               payload_text = EXCLUDED.payload_text, tie_key = EXCLUDED.tie_key
           WHERE (EXCLUDED.event_ts, COALESCE(EXCLUDED.created_ts, '-infinity'), EXCLUDED.tie_key COLLATE "C")
               > (o.event_ts, COALESCE(o.created_ts, '-infinity'), COALESCE(o.tie_key, '') COLLATE "C")
         RETURNING o.entity_key`,
        [
          chunk.map((b) => b.row.key),
          chunk.map((b) => b.row.eventTs),
          chunk.map((b) => b.row.createdTs),
          chunk.map((b) => b.payload),
          chunk.map((b) => b.tie),
        ],
      );
      written += r.rowCount;
      if (changes.has(view.name)) {
        const byKey = new Map(chunk.map((b) => [b.row.key, b.row]));
        for (const { entity_key } of r.rows) {
          const row = byKey.get(entity_key);
          if (row)
            changes.publish({
              view: view.name,
              key: row.key,
              record: { eventTs: row.eventTs, createdTs: row.createdTs, values: row.values },
            });
        }
      }
    }
    return { written, skipped: rows.length - written };
  },

  async read(requests: readonly OnlineReadRequest[], aggregations: readonly AggregationReadRequest[] = []) {
    // One query per view; they run concurrently on a pool (PGlite serialises them itself).
    return Promise.all([
      ...requests.map((req) => readView(sql, project, req)),
      ...aggregations.map((a) => readSqlAggregations(sql, project, a)),
    ]);
  },

  async ping() {
    await sql.query('SELECT 1');
  },

  async close() {
    // The SQL client is shared with the registry; its owner closes it.
    await changes.close();
  },
});

const readView = async (sql: SqlClient, project: string, req: OnlineReadRequest): Promise<(OnlineRecord | null)[]> => {
  if (req.keys.length === 0) return [];
  const features = req.view.features.filter((f) => req.features.includes(f.name));
  const cols = features.map((f, i) => `payload->'${f.name}' AS f${i}`).join(', ');
  const r = await sql.query<{ entity_key: string; event_ts: Date; created_ts: Date | null } & Record<string, JsonValue>>(
    `SELECT entity_key, event_ts, created_ts${cols ? `, ${cols}` : ''} FROM ${onlineTable(project, req.view.name)} WHERE entity_key = ANY($1::text[])`,
    [[...new Set(req.keys)]],
  );
  const byKey = new Map<string, OnlineRecord>();
  for (const row of r.rows) {
    const values: Record<string, FeatureValue> = {};
    features.forEach((f, i) => (values[f.name] = fromJson(f.type, row[`f${i}`])));
    byKey.set(row.entity_key, { eventTs: row.event_ts, createdTs: row.created_ts, values });
  }
  return req.keys.map((k) => byKey.get(k) ?? null);
};

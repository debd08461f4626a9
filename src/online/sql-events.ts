import type { AggregationSpec } from '../definitions/aggregation-spec.js';
import { projectSchema, quoteIdent } from '../definitions/resolve.js';
import { fromJson } from '../definitions/values.js';
import type { JsonValue } from '../definitions/value-types.js';
import { decodeOutputs, windowAggregatesLateral } from '../offline/postgres/window-aggregates.js';
import type { SqlClient } from '../sql/client.js';
import { encodeEvent, eventCutoff } from './aggregation/events.js';
import type { AggregationReadRequest, OnlineRecord, OnlineRow, WriteSummary } from './store.js';

/**
 * Aggregation views in the SQL online store (docs/aggregations.md, "Online: SQL"): one table of raw events per
 * view, `fg_<project>.aggregation_events_<view>`, primary key (entity key, event id) so a replay inserts
 * nothing. A read computes every window exactly from it with one index range scan per key — the same SQL
 * shape as the offline `asOf` (src/offline/postgres/window-aggregates.ts); the embedded store needs no tiles.
 */
export const eventsTable = (project: string, view: string): string =>
  `${quoteIdent(projectSchema(project))}.${quoteIdent(`aggregation_events_${view}`)}`;

export const eventsTableDdl = (project: string, spec: AggregationSpec): string[] => {
  const t = eventsTable(project, spec.name);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(projectSchema(project))}`,
    `CREATE TABLE IF NOT EXISTS ${t} (
      entity_key text NOT NULL,
      event_id text NOT NULL,
      event_ts timestamptz NOT NULL,
      created_ts timestamptz,
      tie_key text NOT NULL,
      payload jsonb NOT NULL,
      PRIMARY KEY (entity_key, event_id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`aggregation_events_${spec.name}_key_ts`.slice(0, 63))} ON ${t} (entity_key, event_ts)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`aggregation_events_${spec.name}_ts`.slice(0, 63))} ON ${t} (event_ts)`,
  ];
};

/** Insert new events (replays are no-ops), drop those outside every window. */
export const writeSqlEvents = async (
  sql: SqlClient,
  project: string,
  spec: AggregationSpec,
  rows: readonly OnlineRow[],
  now: number,
): Promise<WriteSummary> => {
  const t = eventsTable(project, spec.name);
  const cutoff = new Date(eventCutoff(spec, now));
  const events = rows.map((r) => encodeEvent(spec, r));
  let written = 0;
  for (let i = 0; i < events.length; i += 5000) {
    const chunk = events.slice(i, i + 5000);
    const r = await sql.query(
      `INSERT INTO ${t} (entity_key, event_id, event_ts, created_ts, tie_key, payload)
       SELECT k, id, e, c, tk, p::jsonb FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[]) AS u(k, id, e, c, tk, p)
       WHERE e > $7 ON CONFLICT DO NOTHING`,
      [
        chunk.map((e) => e.key),
        chunk.map((e) => e.id),
        chunk.map((e) => new Date(e.ts)),
        chunk.map((e) => (e.cr === null ? null : new Date(e.cr))),
        chunk.map((e) => e.tie),
        chunk.map((e) => e.json),
        cutoff,
      ],
    );
    written += r.rowCount;
  }
  await sql.query(`DELETE FROM ${t} WHERE event_ts <= $1`, [cutoff]);
  return { written, skipped: rows.length - written };
};

/** Every output of each key over the windows ending at `at`, in one statement per view. */
export const readSqlAggregations = async (sql: SqlClient, project: string, req: AggregationReadRequest): Promise<OnlineRecord[]> => {
  if (req.keys.length === 0) return [];
  const { spec } = req;
  const index = new Map(spec.events.features.map((f, i) => [f.name, i]));
  const lateral = windowAggregatesLateral(spec, {
    relation: eventsTable(project, spec.name),
    ts: 'event_ts',
    keyMatch: ['s.entity_key = e.k'],
    dedupe: null,
    field: (name, alias) => {
      const i = index.get(name)!;
      const t = spec.events.features[i]!.type;
      if (spec.statFields.includes(name))
        return `(${alias}.payload->>${i})::${t.kind === 'scalar' && t.name === 'Int32' ? 'int' : 'float8'}`;
      return `${alias}.payload->${i}`;
    },
    lastOrder: (alias) => `${alias}.event_ts DESC, ${alias}.created_ts DESC NULLS LAST, ${alias}.tie_key COLLATE "C" DESC`,
  });
  const at = new Date(req.at);
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT e.ord, a.* FROM (SELECT k, $2::timestamptz AS t, ord FROM unnest($1::text[]) WITH ORDINALITY AS u(k, ord)) e ${lateral} ORDER BY e.ord`,
    [[...req.keys], at],
  );
  return rows.map((r) => ({ eventTs: at, createdTs: null, values: decodeOutputs(spec, r, (t, v) => fromJson(t, v as JsonValue)) }));
};

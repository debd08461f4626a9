import { PUSH_CREATED_TS, pushTableName, quoteIdent, type ViewSpec } from '../../definitions/resolve.js';
import { toJson, toSqlParam } from '../../definitions/values.js';
import { sqlTypeOf } from '../../definitions/value-types.js';
import type { SqlClient } from '../../sql/client.js';
import type { OnlineRow } from '../../online/store.js';
import type { AppendRow, OfflineAppend } from '../store.js';
import { onlineRow, onlineRowColumns } from './latest-rows.js';

/** Rows per INSERT statement: keeps each statement's JSON parameters a few MB at most. */
export const OFFLINE_CHUNK = 10_000;

const isBytes = (view: ViewSpec, i: number): boolean => {
  const t = view.features[i]!.type;
  return t.kind === 'list' ? t.of.name === 'Bytes' : t.name === 'Bytes';
};

/**
 * Append validated rows to the view's offline source: the push table of a push-source view, or the
 * source table of a table-backed view (through its field mapping). A row already stored — same key,
 * event time, features and (if the row has one) created time — is not inserted again, so replays are
 * no-ops and no unique constraint is needed (docs/writes.md). Run it in a transaction that holds
 * `lockPushTarget`, or concurrent replays could both insert.
 */
export const appendOffline = async (
  sql: SqlClient,
  project: string,
  view: ViewSpec,
  rows: readonly AppendRow[],
  opts: AppendOptions = {},
): Promise<OfflineAppend> => {
  let inserted = 0;
  const existing = new Map<number, Date | null>();
  const stored = new Map<number, OnlineRow>();
  for (let i = 0; i < rows.length; i += OFFLINE_CHUNK) {
    const r = await appendChunk(sql, project, view, rows.slice(i, i + OFFLINE_CHUNK), opts);
    inserted += r.inserted;
    for (const [n, created] of r.existing) existing.set(i + n, created);
    for (const [n, row] of r.stored ?? []) stored.set(i + n, row);
  }
  return { inserted, existing, ...(opts.identity ? { stored } : {}) };
};

export interface AppendOptions {
  /** PushCommit.identity (../store.ts). */
  readonly identity?: readonly string[];
}

/** Serialise pushes into one offline relation for the rest of the transaction (replay detection). */
export const lockPushTarget = async (tx: SqlClient, project: string, view: ViewSpec): Promise<void> => {
  const relation = view.source.kind === 'push' ? pushTableName(project, view.name) : view.source.relation;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`featuregraph push ${relation}`]);
};

const appendChunk = async (
  sql: SqlClient,
  project: string,
  view: ViewSpec,
  rows: readonly AppendRow[],
  opts: AppendOptions,
): Promise<OfflineAppend> => {
  if (rows.length === 0) return { inserted: 0, existing: new Map() };
  const src = view.source;
  const relation = src.kind === 'push' ? pushTableName(project, view.name) : src.relation;
  const createdCol = src.createdTimestampColumn;
  const nk = view.keys.length;
  const cols = [...view.keys.map((k) => k.column), src.eventTimestampColumn, createdCol ?? '', ...view.features.map((f) => f.column)];
  const types = [...view.keys.map((k) => sqlTypeOf(k.type)), 'timestamptz', 'timestamptz', ...view.features.map((f) => sqlTypeOf(f.type))];
  // Each column travels as a JSON array (list features would not survive unnest of a 2-D array).
  const params = cols.map((_, ci) =>
    JSON.stringify(
      rows.map((r) => {
        if (ci < nk) return toSqlParam(view.keys[ci]!.type, r.keys[view.keys[ci]!.joinKey] ?? null);
        if (ci === nk) return r.row.eventTs.toISOString();
        if (ci === nk + 1) return r.row.createdTs?.toISOString() ?? null;
        const fi = ci - nk - 2;
        const f = view.features[fi]!;
        // Bytes travel as base64 (decoded in SQL below).
        const v = isBytes(view, fi) ? toJson(f.type, r.row.values[f.name] ?? null) : toSqlParam(f.type, r.row.values[f.name] ?? null);
        return f.type.kind === 'scalar' && f.type.name === 'Json' && typeof v === 'string' ? JSON.parse(v) : v;
      }),
    ),
  );
  params.push(JSON.stringify(rows.map((r) => r.createdGiven)));
  const selects = cols.map((_, i) => {
    const t = types[i]!;
    const elem = `j.v${i}`;
    const expr =
      t === 'bytea[]'
        ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ARRAY(SELECT decode(x, 'base64') FROM jsonb_array_elements_text(${elem}) WITH ORDINALITY AS a(x, o) ORDER BY o) END`
        : t.endsWith('[]')
          ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${elem}))::${t} END`
          : t === 'jsonb'
            ? `CASE WHEN jsonb_typeof(${elem}) = 'null' THEN NULL ELSE ${elem} END`
            : t === 'bytea'
              ? `decode(${elem} #>> '{}', 'base64')`
              : `(${elem} #>> '{}')::${t}`;
    return `${expr} AS c${i}`;
  });
  const given = cols.length;
  // ROWS FROM zips the column arrays in one pass (joining one function scan per column on its ordinality
  // made a 30k-row push quadratic).
  const all = [...cols.map((_, i) => i), given];
  const from = `ROWS FROM (${all.map((i) => `jsonb_array_elements($${i + 1}::jsonb)`).join(', ')}) WITH ORDINALITY AS j(${all.map((i) => `v${i}`).join(', ')}, n)`;
  const keep = cols.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
  // Json (and json[]) columns of a source table may be `json`, which has no equality: compare as jsonb.
  const same = (i: number) => {
    const t = types[i]!;
    // Keys and event time are never null: plain equality lets the planner hash-join or use the index.
    if (i <= nk) return `t.${quoteIdent(cols[i]!)} = i.c${i}`;
    const cast = t === 'jsonb' ? '::jsonb' : t === 'jsonb[]' ? '::jsonb[]' : '';
    return `t.${quoteIdent(cols[i]!)}${cast} IS NOT DISTINCT FROM i.c${i}`;
  };
  const createdIdx = nk + 1;
  const identity = opts.identity?.map((name) => nk + 2 + view.features.findIndex((f) => f.name === name));
  // An event id is never null (push requires it): plain equality, so the (keys, id) index serves the probe.
  const match = identity
    ? [...view.keys.map((_, i) => i).map(same), ...identity.map((i) => `t.${quoteIdent(cols[i]!)} = i.c${i}`)]
    : keep.filter((i) => i !== createdIdx).map(same);
  if (createdCol && !identity) match.push(`(NOT i.given OR t.${quoteIdent(createdCol)} IS NOT DISTINCT FROM i.c${createdIdx})`);
  const keepCols = keep.map((i) => `c${i}`).join(', ');
  const distinctCols = identity ? [...view.keys.map((_, i) => i), ...identity].map((i) => `c${i}`).join(', ') : keepCols;
  const createdOut = createdCol ? `t.${quoteIdent(createdCol)}` : 'NULL::timestamptz';
  const r = await sql.query<{ inserted: number; existing: [number, string | null][] | null }>(
    `WITH i AS (
       SELECT j.n, ${selects.join(', ')}, (j.v${given})::boolean AS given FROM ${from}
     ), dup AS (
       SELECT DISTINCT ON (i.n) i.n, ${createdOut} AS created FROM i JOIN ${relation} t ON ${match.join(' AND ')}
       ORDER BY i.n, ${createdOut} DESC NULLS LAST
     ), ins AS (
       INSERT INTO ${relation} (${keep.map((i) => quoteIdent(cols[i]! || PUSH_CREATED_TS)).join(', ')})
       SELECT DISTINCT ON (${distinctCols}) ${keepCols} FROM i WHERE i.n NOT IN (SELECT n FROM dup)${identity ? ` ORDER BY ${distinctCols}, i.n` : ''}
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT json_agg(json_build_array(n, created)) FROM dup) AS existing`,
    params,
  );
  const row = r.rows[0]!;
  const existing = new Map<number, Date | null>();
  for (const [n, created] of row.existing ?? []) existing.set(Number(n) - 1, created === null ? null : new Date(created));
  if (!identity || existing.size === 0) return { inserted: Number(row.inserted), existing };
  // Events already stored: the copy that counts (earliest created, as rawEvents and aggregateAsOf pick it) goes
  // online in place of the replay's payload. Stored events never change, so reading them now is exact.
  const ev = `t.${quoteIdent(src.eventTimestampColumn)}`;
  const cr = src.createdTimestampColumn ? `t.${quoteIdent(src.createdTimestampColumn)}` : null;
  const out = onlineRowColumns(view, 't');
  const copies = await sql.query<Record<string, unknown>>(
    `WITH i AS (SELECT j.n, ${selects.join(', ')} FROM ${from})
     SELECT DISTINCT ON (i.n) i.n AS fg_n, ${out.join(', ')} FROM i JOIN ${relation} t ON ${match.join(' AND ')}
     WHERE i.n = ANY($${params.length + 1}::bigint[]) ORDER BY i.n${cr ? `, ${cr} ASC NULLS FIRST` : ''}, ${ev} ASC`,
    [...params, [...existing.keys()].map((n) => n + 1)],
  );
  const stored = new Map<number, OnlineRow>();
  for (const c of copies.rows) stored.set(Number(c.fg_n) - 1, onlineRow(view, c));
  return { inserted: Number(row.inserted), existing, stored };
};

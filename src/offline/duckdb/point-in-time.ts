import type { FeatureSpec, ViewSpec } from '../../definitions/resolve.js';
import type { OnlineRecord } from '../../online/store.js';
import { asKnownAtFor, clampAsOf, pickFeatures, type PointInTimeOptions, type PointInTimeRequest } from '../store.js';
import type { TrainingPlan, ViewSelection } from '../training/feature-refs.js';
import { keyCol } from '../training/output-columns.js';
import type { DuckDb } from './connection.js';
import { duckValue, F, K, lit, outExpr, sourceSelect, tieOrder, tsLiteral } from './relation.js';

/**
 * Per entity row of `entities` (a relation with `ord`, the view's keys as `k0..` and the clamped as-of
 * time `t`, a UTC TIMESTAMP), the point-in-time row of `view` (docs/offline-stores.md): `ord`, `fg_ts`,
 * `fg_cr` and the features `f0..`. Entity rows without a value have no row.
 *
 * Plain reads use DuckDB's ASOF JOIN, which finds the greatest event time <= t per row but cannot give the
 * rest of the contract by itself: (1) the ttl lower bound — checked after the join: when the newest row at or
 * before t is older than t - ttl, no row is inside the window either; (2) ties — the ASOF JOIN returns one
 * arbitrary row of several with that event time, so the join only finds the event time, and the rows with
 * it are joined back and ranked by (created, features) with the tie rule — also when the files have no ties,
 * where a bare ASOF JOIN carrying the features would do: under the memory limit it is not faster
 * (docs/offline-stores.md, "How the point-in-time join runs on DuckDB"). As-known-at reads cannot use ASOF
 * (the newest row by event time may be unknown at t while an older one is known): they rank every known
 * candidate in the ttl window per row with a window function instead.
 */
export const candidatesSql = (view: ViewSpec, entities: string, asKnownAt: boolean): string => {
  const keys = view.keys.map((_, i) => K(i));
  const src = `(${sourceSelect(view)})`;
  const ttl = view.ttlSeconds > 0 ? `to_seconds(${view.ttlSeconds}::BIGINT)` : null;
  const select = `m.ord, s.fg_ts, s.fg_cr, ${view.features.map((_, i) => `s.${F(i)}`).join(', ')}`;
  if (asKnownAt) {
    const on = [...keys.map((k) => `s.${k} = m.${k}`), 's.fg_ts <= m.t', 'coalesce(s.fg_cr, s.fg_ts) <= m.t'];
    if (ttl) on.push(`s.fg_ts >= m.t - ${ttl}`);
    return (
      `SELECT ${select} FROM ${entities} m JOIN ${src} s ON ${on.join(' AND ')} ` +
      `QUALIFY row_number() OVER (PARTITION BY m.ord ORDER BY s.fg_ts DESC, s.fg_cr DESC NULLS LAST, ${tieOrder(view, 's').join(', ')}) = 1`
    );
  }
  const asof =
    `SELECT e.ord, ${keys.map((k) => `e.${k}`).join(', ')}, e.t, a.fg_ts AS mts FROM ${entities} e ` +
    `ASOF JOIN (SELECT ${keys.join(', ')}, fg_ts FROM ${src}) a ON ${keys.map((k) => `e.${k} = a.${k}`).join(' AND ')} AND e.t >= a.fg_ts`;
  const where = ttl ? ` WHERE m.mts >= m.t - ${ttl}` : '';
  return (
    `SELECT ${select} FROM (${asof}) m JOIN ${src} s ON ${keys.map((k) => `s.${k} = m.${k}`).join(' AND ')} AND s.fg_ts = m.mts${where} ` +
    `QUALIFY row_number() OVER (PARTITION BY m.ord ORDER BY s.fg_cr DESC NULLS LAST, ${tieOrder(view, 's').join(', ')}) = 1`
  );
};

/**
 * `rows` with the view's point-in-time values added, one row out per row in (docs/offline-stores.md): `rows` is
 * a relation with a unique `ord`, the clamped as-of time `fg_t` and the view's keys in the columns `keys`; the
 * row's event time is added as `<prefix>fg_ts` and the features `idx` as `<prefix>f<i>`, null where the row has
 * no value. The contract is candidatesSql's.
 * A plain read carries the rows through its ASOF LEFT JOIN and the join back, so the rows need no hash join
 * back to the candidates by `ord` (what the as-known-at read, built from `entities` as in candidatesSql, does).
 */
export const withPointInTimeSql = (
  view: ViewSpec,
  rows: string,
  keys: readonly string[],
  idx: readonly number[],
  prefix: string,
  asKnownAt: { entities: string } | null,
): string => {
  const added = (from: string) => ['fg_ts', ...idx.map(F)].map((c) => `${from}.${c} AS ${prefix}${c}`).join(', ');
  if (asKnownAt) {
    const c = `(${candidatesSql(view, asKnownAt.entities, true)})`;
    return `SELECT e.*, ${added('c')} FROM ${rows} e LEFT JOIN ${c} c ON c.ord = e.ord`;
  }
  const src = `(${sourceSelect(view)})`;
  const on = keys.map((k, i) => `e.${k} = a.${K(i)}`);
  // The ttl lower bound, checked on the match (candidatesSql): out of the window, no event time to join back.
  const mts = view.ttlSeconds > 0 ? `CASE WHEN a.fg_ts >= e.fg_t - to_seconds(${view.ttlSeconds}::BIGINT) THEN a.fg_ts END` : 'a.fg_ts';
  const asof =
    `SELECT e.*, ${mts} AS fg_m FROM ${rows} e ASOF LEFT JOIN (SELECT ${view.keys.map((_, i) => K(i)).join(', ')}, fg_ts FROM ${src}) a ` +
    `ON ${on.join(' AND ')} AND e.fg_t >= a.fg_ts`;
  return (
    `SELECT e.* EXCLUDE (fg_m), ${added('s')} FROM (${asof}) e ` +
    `LEFT JOIN ${src} s ON ${keys.map((k, i) => `s.${K(i)} = e.${k}`).join(' AND ')} AND s.fg_ts = e.fg_m ` +
    `QUALIFY row_number() OVER (PARTITION BY e.ord ORDER BY s.fg_cr DESC NULLS LAST, ${tieOrder(view, 's').join(', ')}) = 1`
  );
};

/**
 * The training set's entity rows `base` — `ord`, the plan's join keys as `k<i>` (keyCol), the clamped as-of time
 * `fg_t` — with each view's point-in-time columns added in turn by withPointInTimeSql: `v<v>_fg_ts` and
 * `v<v>_f<i>` for the features `featuresOf` picks from the view's selection. A view it picks none of is left out.
 */
export const withViewsSql = (
  plan: TrainingPlan,
  base: string,
  asKnownAt: boolean | undefined,
  featuresOf: (sel: ViewSelection) => readonly FeatureSpec[],
): string => {
  let rows = base;
  plan.views.forEach((sel, v) => {
    const idx = [...new Set(featuresOf(sel).map((f) => sel.view.features.indexOf(f)))];
    if (idx.length === 0) return;
    const keys = sel.view.keys.map((k) => keyCol(plan.keys.findIndex((x) => x.name === k.joinKey)));
    const entities = `(SELECT ord, ${keys.map((k, i) => `${k} AS ${K(i)}`).join(', ')}, fg_t AS t FROM ${base})`;
    rows = `(${withPointInTimeSql(sel.view, rows, keys, idx, `v${v}_`, asKnownAtFor(sel.view, asKnownAt) ? { entities } : null)})`;
  });
  return rows;
};

/** A key part as a typed literal of the view's key type. */
const keyLiteral = (view: ViewSpec, i: number, v: unknown): string => {
  const t = view.keys[i]?.type.name;
  if (v === null || v === undefined) return 'NULL';
  if (t === 'String') return lit(String(v));
  const s = String(v);
  if (!/^-?\d+$/.test(s)) return 'NULL';
  // Parenthesised: `-9223372036854775808::BIGINT` casts before the minus, and the positive half overflows.
  return `(${s})::${t === 'Int32' ? 'INTEGER' : 'BIGINT'}`;
};

/** Point-in-time reads of a file-source view: the requests as an inline VALUES relation, one statement. */
export const duckPointInTime = async (
  db: DuckDb,
  view: ViewSpec,
  requests: readonly PointInTimeRequest[],
  features: readonly string[],
  options: PointInTimeOptions,
): Promise<(OnlineRecord | null)[]> => {
  if (requests.length === 0) return [];
  const specs = pickFeatures(view, features);
  const idx = specs.map((f) => view.features.indexOf(f));
  const rows = requests.map(
    (r, ord) =>
      `(${ord}, ${view.keys.map((_, i) => keyLiteral(view, i, r.keys[i])).join(', ')}, ${tsLiteral(clampAsOf(r.asOf, options.now))})`,
  );
  const entities = `(SELECT * FROM (VALUES ${rows.join(', ')}) v(ord, ${view.keys.map((_, i) => K(i)).join(', ')}, t))`;
  const c = candidatesSql(view, entities, asKnownAtFor(view, options.asKnownAt));
  const text = `SELECT ord, epoch_ms(fg_ts) AS ts, epoch_ms(fg_cr) AS cr, ${idx.map((i) => outExpr(view.features[i]!.type, F(i))).join(', ')} FROM (${c})`;
  const out: (OnlineRecord | null)[] = new Array(requests.length).fill(null);
  await db.with(async (conn) => {
    // The caller's time limit (PointInTimeOptions.timeLimitMs): DuckDB stops the query when interrupted.
    const timer = options.timeLimitMs === undefined ? undefined : setTimeout(() => conn.interrupt(), options.timeLimitMs);
    const reader = await conn.runAndReadAll(text).finally(() => clearTimeout(timer));
    for (const r of reader.getRows()) {
      const values: Record<string, ReturnType<typeof duckValue>> = {};
      specs.forEach((f, j) => (values[f.name] = duckValue(f.type, r[3 + j])));
      out[Number(r[0])] = { eventTs: new Date(Number(r[1])), createdTs: r[2] === null ? null : new Date(Number(r[2])), values };
    }
  });
  return out;
};

import { quoteIdent, type FeatureSpec, type ViewSpec } from '../../definitions/resolve.js';
import { latestFirstOrder } from './ordering.js';

/** Column aliases the LATERAL subquery exposes, so callers never collide with source column names. */
export const EVENT_TS_ALIAS = 'fg_event_ts';
export const CREATED_TS_ALIAS = 'fg_created_ts';
export const featureAlias = (i: number): string => `fg_f${i}`;

/**
 * `LEFT JOIN LATERAL (...) alias ON true` that finds the point-in-time candidates of `view` (docs/semantics.md) for
 * one outer row: same key, `as_of - ttl <= event_ts <= as_of` (no lower bound when ttl is 0), the newest
 * event time WITH TIES — almost always one row. The caller keeps exactly one per outer row with
 * `DISTINCT ON (<outer row id>) ... ORDER BY <outer row id>, ${'`'}pointInTimeOrder(view, alias)${'`'}` (or, for
 * a streamed training set, only for the outer rows that came out more than once), so the full tie-break never
 * runs as a sort per probe: that costs about half again the probe itself.
 *
 * The inner query orders by event time alone, so Postgres walks the `(join keys, event_ts DESC)` index and
 * stops at the newest event time. Ordering by the full tie-break key inside the probe made the planner read
 * and sort every row in the ttl window instead (about 10× slower on a 30-day window of daily rows).
 * The subquery exposes the timestamps and features as EVENT_TS_ALIAS, CREATED_TS_ALIAS and featureAlias(i),
 * and every column the tie-break reads under its source name.
 *
 * @param keyExprs SQL expressions for the outer row's join key values, in `view.keys` order.
 * @param asOfExpr SQL expression for the outer row's (already clamped) as-of time, a timestamptz.
 * @param asKnownAt keep only rows known by the as-of time: `coalesce(created, event) <= as_of`
 *   (docs/offline-stores.md). The probe then skips newer-but-unknown rows in the same index walk.
 * @param oneRow keep only the greatest of the tied rows, by the full tie-break, in the probe itself (a sort of
 *   the few tied rows per probe). For all views of a join but one: the tied rows of several views would
 *   otherwise multiply, one output row per combination, which grows exponentially with the views.
 */
export const pointInTimeLateral = (
  view: ViewSpec,
  features: readonly FeatureSpec[],
  keyExprs: readonly string[],
  asOfExpr: string,
  alias: string,
  asKnownAt = false,
  oneRow = false,
): string => {
  const s = (c: string) => `s.${quoteIdent(c)}`;
  const { eventTimestampColumn: tsCol, createdTimestampColumn: createdCol } = view.source;
  const tieColumns = [...new Set([tsCol, ...(createdCol ? [createdCol] : []), ...view.features.map((f) => f.column)])].map(s);
  const where = view.keys.map((k, i) => `${s(k.column)} = ${keyExprs[i]}`);
  where.push(`${s(tsCol)} <= ${asOfExpr}`);
  if (asKnownAt && createdCol) where.push(`coalesce(${s(createdCol)}, ${s(tsCol)}) <= ${asOfExpr}`);
  if (view.ttlSeconds > 0) where.push(`${s(tsCol)} >= ${asOfExpr} - ${view.ttlSeconds} * interval '1 second'`);
  const out = [`${s(tsCol)} AS ${EVENT_TS_ALIAS}`, `${createdCol ? s(createdCol) : 'NULL::timestamptz'} AS ${CREATED_TS_ALIAS}`];
  features.forEach((f, i) => out.push(`${s(f.column)} AS ${featureAlias(i)}`));
  const newest =
    `SELECT ${[...out, ...tieColumns].join(', ')} FROM ${view.source.relation} s ` +
    `WHERE ${where.join(' AND ')} ORDER BY ${s(tsCol)} DESC FETCH FIRST 1 ROWS WITH TIES`;
  const probe = oneRow ? `SELECT * FROM (${newest}) t ORDER BY ${latestFirstOrder(view, 't')} LIMIT 1` : newest;
  return `LEFT JOIN LATERAL (${probe}) ${alias} ON true`;
};

/** The tie-break order over a `pointInTimeLateral` aliased `alias` (latestFirstOrder on its columns). */
export const pointInTimeOrder = (view: ViewSpec, alias: string): string => latestFirstOrder(view, alias);

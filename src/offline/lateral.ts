import { quoteIdent, type FeatureSpec, type ViewSpec } from '../definitions/resolve.js';
import { latestFirstOrder } from './ordering.js';

/** Column aliases the LATERAL subquery exposes, so callers never collide with source column names. */
export const EVENT_TS_ALIAS = 'fg_event_ts';
export const CREATED_TS_ALIAS = 'fg_created_ts';
export const featureAlias = (i: number): string => `fg_f${i}`;

/**
 * `LEFT JOIN LATERAL (...) alias ON true` that picks the point-in-time row of `view` (DESIGN §1) for one
 * outer row: same key, `as_of - ttl <= event_ts <= as_of` (no lower bound when ttl is 0), greatest by
 * `latestFirstOrder`.
 *
 * The inner query orders by event time alone and keeps the first rows WITH TIES, so Postgres walks the
 * `(join keys, event_ts DESC)` index and stops at the newest event time; only rows sharing that time are
 * then sorted by the full tie-break order. Ordering by the full key directly makes the planner read and
 * sort every row in the ttl window instead (about 10× slower on a 30-day window of daily rows).
 *
 * @param keyExprs SQL expressions for the outer row's join key values, in `view.keys` order.
 * @param asOfExpr SQL expression for the outer row's (already clamped) as-of time, a timestamptz.
 */
export const pointInTimeLateral = (
  view: ViewSpec,
  features: readonly FeatureSpec[],
  keyExprs: readonly string[],
  asOfExpr: string,
  alias: string,
): string => {
  const s = (c: string) => `s.${quoteIdent(c)}`;
  const t = (c: string) => `t.${quoteIdent(c)}`;
  const { eventTimestampColumn: tsCol, createdTimestampColumn: createdCol } = view.source;
  // Every column the tie-break order reads, under its source name, so latestFirstOrder applies to `t` as to a source.
  const inner = [...new Set([tsCol, ...(createdCol ? [createdCol] : []), ...view.features.map((f) => f.column)])].map(s);
  const where = view.keys.map((k, i) => `${s(k.column)} = ${keyExprs[i]}`);
  where.push(`${s(tsCol)} <= ${asOfExpr}`);
  if (view.ttlSeconds > 0) where.push(`${s(tsCol)} >= ${asOfExpr} - ${view.ttlSeconds} * interval '1 second'`);
  const outer = [`${t(tsCol)} AS ${EVENT_TS_ALIAS}`, `${createdCol ? t(createdCol) : 'NULL::timestamptz'} AS ${CREATED_TS_ALIAS}`];
  features.forEach((f, i) => outer.push(`${t(f.column)} AS ${featureAlias(i)}`));
  return (
    `LEFT JOIN LATERAL (SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${view.source.relation} s ` +
    `WHERE ${where.join(' AND ')} ORDER BY ${s(tsCol)} DESC FETCH FIRST 1 ROWS WITH TIES) t ` +
    `ORDER BY ${latestFirstOrder(view, 't')} LIMIT 1) ${alias} ON true`
  );
};

/** The features of `view` named in `names`, in the order given; throws listing the valid names otherwise. */
export const pickFeatures = (view: ViewSpec, names: readonly string[]): FeatureSpec[] =>
  names.map((n) => {
    const f = view.features.find((x) => x.name === n);
    if (!f) throw new Error(`feature view "${view.name}" has no feature "${n}"; it has: ${view.features.map((x) => x.name).join(', ')}`);
    return f;
  });

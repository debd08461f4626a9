import { quoteIdent, type FeatureSpec, type ViewSpec } from '../definitions/resolve.js';
import { latestFirstOrder } from './ordering.js';

/** Column aliases the LATERAL subquery exposes, so callers never collide with source column names. */
export const EVENT_TS_ALIAS = 'fg_event_ts';
export const CREATED_TS_ALIAS = 'fg_created_ts';
export const featureAlias = (i: number): string => `fg_f${i}`;

/**
 * `LEFT JOIN LATERAL (...) alias ON true` that picks the point-in-time row of `view` (DESIGN §1) for one
 * outer row: same key, `as_of - ttl <= event_ts <= as_of` (no lower bound when ttl is 0), greatest by
 * `latestFirstOrder`. Written so Postgres answers it with one probe of the `(join keys, event_ts DESC)`
 * index per outer row (an incremental sort only breaks ties among rows with the same event time).
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
  const ts = s(view.source.eventTimestampColumn);
  const cols = [`${ts} AS ${EVENT_TS_ALIAS}`];
  cols.push(`${view.source.createdTimestampColumn ? s(view.source.createdTimestampColumn) : 'NULL::timestamptz'} AS ${CREATED_TS_ALIAS}`);
  features.forEach((f, i) => cols.push(`${s(f.column)} AS ${featureAlias(i)}`));
  const where = view.keys.map((k, i) => `${s(k.column)} = ${keyExprs[i]}`);
  where.push(`${ts} <= ${asOfExpr}`);
  if (view.ttlSeconds > 0) where.push(`${ts} >= ${asOfExpr} - ${view.ttlSeconds} * interval '1 second'`);
  return (
    `LEFT JOIN LATERAL (SELECT ${cols.join(', ')} FROM ${view.source.relation} s ` +
    `WHERE ${where.join(' AND ')} ORDER BY ${latestFirstOrder(view, 's')} LIMIT 1) ${alias} ON true`
  );
};

/** The features of `view` named in `names`, in the order given; throws listing the valid names otherwise. */
export const pickFeatures = (view: ViewSpec, names: readonly string[]): FeatureSpec[] =>
  names.map((n) => {
    const f = view.features.find((x) => x.name === n);
    if (!f) throw new Error(`feature view "${view.name}" has no feature "${n}"; it has: ${view.features.map((x) => x.name).join(', ')}`);
    return f;
  });

import { sqlTypeOf } from '../../definitions/value-types.js';
import { fromSql, type FeatureValue } from '../../definitions/values.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import type { SqlClient } from '../../sql/client.js';
import type { OnlineRecord } from '../../online/store.js';
import { asKnownAtFor, clampAsOf, pickFeatures, type PointInTimeOptions, type PointInTimeRequest } from '../store.js';
import { CREATED_TS_ALIAS, EVENT_TS_ALIAS, featureAlias, pointInTimeLateral, pointInTimeOrder } from './lateral.js';

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));

/**
 * The point-in-time value (docs/semantics.md) of `view` for each request, in request order (duplicates allowed):
 * the record of the greatest row with the key and `asOf - ttl <= event_ts <= asOf`, or null.
 * One SQL statement for all requests: the keys and times go in as typed arrays, unnested
 * WITH ORDINALITY, each joined LATERAL to an index probe of the source.
 */
export const pointInTimeLookup = async (
  sql: SqlClient,
  view: ViewSpec,
  requests: readonly PointInTimeRequest[],
  features: readonly string[],
  options: PointInTimeOptions = { now: new Date() },
): Promise<(OnlineRecord | null)[]> => {
  const { now } = options;
  if (requests.length === 0) return [];
  const specs = pickFeatures(view, features);
  const params: unknown[] = view.keys.map((_, i) =>
    requests.map((r) => (r.keys[i] === null || r.keys[i] === undefined ? null : String(r.keys[i]))),
  );
  params.push(requests.map((r) => clampAsOf(r.asOf, now).toISOString()));
  const cols = view.keys.map((_, i) => `k${i}`);
  const arrays = view.keys.map((k, i) => `$${i + 1}::${sqlTypeOf(k.type)}[]`);
  arrays.push(`$${view.keys.length + 1}::timestamptz[]`);
  const text =
    `SELECT DISTINCT ON (e.ord) e.ord, v.${EVENT_TS_ALIAS}, v.${CREATED_TS_ALIAS}${specs.map((_, i) => `, v.${featureAlias(i)}`).join('')} ` +
    // Probing in key order keeps each index and heap page hot across neighbouring probes; ORDER BY ord restores request order.
    `FROM (SELECT * FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS u(${[...cols, 'as_of', 'ord'].join(', ')}) ORDER BY ${[...cols, 'as_of'].join(', ')}) e ` +
    `${pointInTimeLateral(
      view,
      specs,
      cols.map((c) => `e.${c}`),
      'e.as_of',
      'v',
      asKnownAtFor(view, options.asKnownAt),
    )} ORDER BY e.ord, ${pointInTimeOrder(view, 'v')}`;
  const { rows } =
    options.timeLimitMs === undefined
      ? await sql.query<Record<string, unknown>>(text, params)
      : await sql.queryWithin<Record<string, unknown>>(options.timeLimitMs, text, params);
  return rows.map((r) => {
    const ts = r[EVENT_TS_ALIAS];
    if (ts === null || ts === undefined) return null;
    const created = r[CREATED_TS_ALIAS];
    const values: Record<string, FeatureValue> = {};
    specs.forEach((f, i) => (values[f.name] = fromSql(f.type, r[featureAlias(i)])));
    return { eventTs: toDate(ts), createdTs: created === null || created === undefined ? null : toDate(created), values };
  });
};

import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import { quoteIdent } from '../../definitions/resolve.js';
import { sqlTypeOf } from '../../definitions/value-types.js';
import type { OnlineRecord } from '../../online/store.js';
import type { SqlClient } from '../../sql/client.js';
import { clampAsOf, type PointInTimeRequest } from '../store.js';
import { decodeOutputs, sourceDedupe, windowAggregatesLateral } from './window-aggregates.js';
import { latestFirstOrder } from './ordering.js';

/**
 * The aggregation outputs of `spec` for each request, as of its (clamped) time t: every window `(t − w, t]`
 * over the raw events of the view's source (docs/aggregations.md), copies of one event id counted once.
 * One statement for all requests, each joined LATERAL to one index range scan of its longest window.
 * Each record's eventTs is t.
 */
export const aggregateAsOf = async (
  sql: SqlClient,
  spec: AggregationSpec,
  requests: readonly PointInTimeRequest[],
  options: { readonly now: Date; readonly timeLimitMs?: number },
): Promise<OnlineRecord[]> => {
  if (requests.length === 0) return [];
  const view = spec.events;
  const at = requests.map((r) => clampAsOf(r.asOf, options.now));
  const params: unknown[] = view.keys.map((_, i) =>
    requests.map((r) => (r.keys[i] === null || r.keys[i] === undefined ? null : String(r.keys[i]))),
  );
  params.push(at.map((d) => d.toISOString()));
  const cols = view.keys.map((_, i) => `k${i}`);
  const arrays = [...view.keys.map((k, i) => `$${i + 1}::${sqlTypeOf(k.type)}[]`), `$${view.keys.length + 1}::timestamptz[]`];
  const lateral = windowAggregatesLateral(spec, {
    relation: view.source.relation,
    ts: quoteIdent(view.source.eventTimestampColumn),
    keyMatch: view.keys.map((k, i) => `s.${quoteIdent(k.column)} = e.${cols[i]}`),
    dedupe: sourceDedupe(spec),
    field: (name, alias) => {
      const f = view.features.find((x) => x.name === name)!;
      const col = `${alias}.${quoteIdent(f.column)}`;
      // NaN and ±Infinity (only a source table can hold them: pushes refuse them) count as null, as the online
      // stores keep them (docs/semantics.md, "Values GraphQL cannot carry"): skipped by min, max, sum and avg,
      // null for last.
      return view.source.kind !== 'push' && f.type.kind === 'scalar' && (f.type.name === 'Float32' || f.type.name === 'Float64')
        ? `(CASE WHEN ${col} IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE ${col} END)`
        : col;
    },
    lastOrder: (alias) => latestFirstOrder(view, alias, 'milliseconds'),
  });
  const text = `SELECT e.ord, a.* FROM unnest(${arrays.join(', ')}) WITH ORDINALITY AS e(${[...cols, 't', 'ord'].join(', ')}) ${lateral} ORDER BY e.ord`;
  const { rows } =
    options.timeLimitMs === undefined
      ? await sql.query<Record<string, unknown>>(text, params)
      : await sql.queryWithin<Record<string, unknown>>(options.timeLimitMs, text, params);
  return rows.map((r, i) => ({ eventTs: at[i]!, createdTs: null, values: decodeOutputs(spec, r) }));
};

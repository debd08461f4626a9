import {
  Float64,
  Int32,
  String as Str,
  aggregationView,
  avg,
  count,
  entity,
  last,
  max,
  min,
  pushSource,
  repository,
  sum,
  type Repository,
} from '../../src/definitions/index.js';
import type { AggregationSpec } from '../../src/definitions/aggregation-spec.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import { compareRows } from '../../src/online/store.js';
import { tieKey } from '../../src/online/tie-key.js';

/** A customer's quote requests, aggregated over 5 minutes, an hour and a day (every function once). */
export const aggregationRepository = (project: string): Repository => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const quoteStats = aggregationView({
    name: 'quote_stats',
    entities: [customer],
    source: pushSource({ name: 'quote_requests' }),
    eventId: 'request_id',
    fields: { request_id: Str, amount: Int32, score: Float64, channel: Str },
    aggregations: {
      quotes_5m: count('5m'),
      quotes_1h: count('1h'),
      quotes_1d: count('1d'),
      amount_sum_1h: sum('amount', '1h'),
      amount_avg_1d: avg('amount', '1d'),
      score_min_1h: min('score', '1h'),
      score_max_1d: max('score', '1d'),
      last_channel_5m: last('channel', '5m'),
      last_amount_1d: last('amount', '1d'),
    },
    description: 'Quote requests per customer.',
  });
  return repository({ project, aggregationViews: [quoteStats] });
};

/** One raw event as the test pushed it (after the push path's validation: created time filled in). */
export interface TestEvent {
  readonly customer_id: string;
  readonly request_id: string;
  readonly ts: number;
  readonly created: number;
  readonly values: Record<string, FeatureValue>;
}

/**
 * The brute-force model of docs/aggregations.md: per (customer, request id) the first pushed copy; per
 * window the events with t − w < ts ≤ t; count and sum 0 when empty; avg = exact sum / non-null count;
 * last = greatest by (event time, created time, tie key).
 */
export const bruteForce = (
  spec: AggregationSpec,
  events: readonly TestEvent[],
  customer: string,
  t: number,
): Record<string, FeatureValue> => {
  const seen = new Set<string>();
  const mine = events.filter((e) => {
    if (e.customer_id !== customer || seen.has(e.request_id)) return false;
    seen.add(e.request_id);
    return true;
  });
  const out: Record<string, FeatureValue> = {};
  for (const o of spec.outputs) {
    const inw = mine.filter((e) => e.ts > t - o.windowSeconds * 1000 && e.ts <= t);
    const vals = o.field ? inw.map((e) => e.values[o.field!]).filter((v): v is number => typeof v === 'number') : [];
    const s = vals.reduce((a, b) => a + b, 0);
    switch (o.fn) {
      case 'count':
        out[o.name] = inw.length;
        break;
      case 'sum':
        out[o.name] = BigInt(s);
        break;
      case 'avg':
        out[o.name] = vals.length ? s / vals.length : null;
        break;
      case 'min':
        out[o.name] = vals.length ? Math.min(...vals) : null;
        break;
      case 'max':
        out[o.name] = vals.length ? Math.max(...vals) : null;
        break;
      case 'last': {
        const row = (e: TestEvent) => ({ eventTs: new Date(e.ts), createdTs: new Date(e.created), tie: tieKey(spec.events, e.values) });
        const best = inw.reduce<TestEvent | null>((a, e) => (!a || compareRows(row(e), row(a)) > 0 ? e : a), null);
        out[o.name] = best ? (best.values[o.field!] ?? null) : null;
      }
    }
  }
  return out;
};

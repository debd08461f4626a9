import {
  Bool,
  Float64,
  Int32,
  String as Str,
  aggregationView,
  avg,
  count,
  entity,
  featureView,
  last,
  max,
  min,
  onDemandView,
  pushSource,
  repository,
  sum,
  type Entity,
  type Repository,
} from '../../src/definitions/index.js';
import type { AggregationSpec } from '../../src/definitions/aggregation-spec.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import { compareRows } from '../../src/online/store.js';
import { tieKey } from '../../src/online/tie-key.js';

/** A customer's quote requests, aggregated over 5 minutes, an hour and a day (every function once). */
const quoteStatsView = (customer: Entity) =>
  aggregationView({
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

export const aggregationRepository = (project: string): Repository => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  return repository({ project, aggregationViews: [quoteStatsView(customer)] });
};

/**
 * The pressure transform of `trainingRepository`'s on-demand view, exported so tests can compute it from the
 * brute-force inputs: the profile (null without a row), the quote windows and the request's budget.
 */
export const pressure = (
  profile: { tier: string | null; credit_limit: number | null } | null,
  quotes: { quotes_5m: number; amount_sum_1h: bigint; last_channel_5m: string | null },
  budget: number,
) => ({
  recent: quotes.quotes_5m,
  sum_per_limit: profile?.credit_limit ? Number(quotes.amount_sum_1h) / profile.credit_limit : null,
  over_budget: quotes.amount_sum_1h > BigInt(budget),
  label: `${profile?.tier ?? 'none'}/${quotes.last_channel_5m ?? 'none'}`,
});

/**
 * `aggregationRepository` plus a feature view of the same customers (`customer_profile`, pushed) and an
 * on-demand view reading both and a request argument (`quote_pressure`, docs/aggregations.md, "In on-demand views").
 */
export const trainingRepository = (project: string): Repository => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const quoteStats = quoteStatsView(customer);
  const profile = featureView({
    name: 'customer_profile',
    entities: [customer],
    features: { tier: Str, credit_limit: Int32 },
    source: pushSource({ name: 'customer_profiles' }),
    ttl: '2h',
  });
  const quotePressure = onDemandView({
    name: 'quote_pressure',
    sources: { profile, quotes: quoteStats },
    request: { budget: Int32 },
    features: { recent: Int32, sum_per_limit: Float64, over_budget: Bool, label: Str },
    // `last` outputs are typed loosely (any scalar): the test knows channel is a String.
    transform: ({ profile: p, quotes }, { budget }) =>
      pressure(p, { ...quotes, last_channel_5m: quotes.last_channel_5m as string | null }, budget),
  });
  return repository({ project, featureViews: [profile], onDemandViews: [quotePressure], aggregationViews: [quoteStats] });
};

/** One raw event as the test pushed it (after the push path's validation: created time filled in). */
export interface TestEvent {
  readonly customer_id: string;
  readonly request_id: string;
  readonly ts: number;
  readonly created: number;
  readonly values: Record<string, FeatureValue>;
}

/** The events, about 15% of them a second time (replays), in a shuffled order: what a replaying stream sends. */
export const withReplays = (events: readonly TestEvent[], next: () => number): TestEvent[] => {
  const pushed: TestEvent[] = [...events];
  for (const e of events) if (next() < 0.15) pushed.push(e);
  for (let i = pushed.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pushed[i], pushed[j]] = [pushed[j]!, pushed[i]!];
  }
  return pushed;
};

/** An event as the row a push sends. */
export const eventRow = (e: TestEvent) => ({
  customer_id: e.customer_id,
  event_timestamp: new Date(e.ts).toISOString(),
  created_timestamp: new Date(e.created).toISOString(),
  ...e.values,
});

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

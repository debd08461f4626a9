/** The aggregation benchmark's repository: quote requests per customer, counted over 5 minutes, an hour and a day. */
import { Int32, String as Str, aggregationView, count, entity, pushSource, repository, sum } from '../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../src/definitions/resolve.js';

export const ENTITIES = 10_000;
export const KEY_PREFIX = 'fgbench:';
export const VIEW = 'quote_stats';
export const WINDOWS_MS = [300_000, 3_600_000, 86_400_000] as const;

export const benchDefinitions = (project: string) => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const quoteStats = aggregationView({
    name: VIEW,
    entities: [customer],
    source: pushSource({ name: 'quote_requests' }),
    eventId: 'request_id',
    fields: { request_id: Str, amount: Int32 },
    aggregations: { quotes_5m: count('5m'), quotes_1h: count('1h'), quotes_1d: count('1d'), amount_sum_1d: sum('amount', '1d') },
  });
  return repository({ project, aggregationViews: [quoteStats] });
};

export const benchRepository = (project: string): ResolvedRepository => resolveRepository(benchDefinitions(project), project);

/** Event `n` of the run: a customer, an id, a time within the last day (most within the hour), an amount. */
export const benchEvent = (n: number, now: number, run: string) => {
  const c = (n * 7919) % ENTITIES;
  const back = n % 10 < 6 ? (n * 104_729) % 3_600_000 : (n * 104_729) % 86_000_000;
  return { customer_id: `C${c}`, request_id: `${run}-${n}`, event_timestamp: new Date(now - back).toISOString(), amount: n % 1000 };
};

/** The GraphQL query the bench reads: three windowed counts of one customer. */
export const QUERY = 'query Q($id: ID!) { customer(customerId: $id) { quoteStats { quotes5m quotes1h quotes1d } } }';

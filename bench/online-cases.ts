/** The benchmark's cases: the same reads as GraphQL operations (featuregraph, naive) and as floor bodies. */
import { ENTITIES } from './online-repo.js';
import { seededRandom } from './seeded-random.js';

export interface BenchCase {
  readonly name: 'single' | 'three' | 'batch100';
  readonly label: string;
  readonly entities: number;
  readonly views: readonly string[];
}

export const CASES: readonly BenchCase[] = [
  { name: 'single', label: '1 entity x 1 view', entities: 1, views: ['driver_stats'] },
  { name: 'three', label: '1 entity x 3 views', entities: 1, views: ['driver_stats', 'driver_quality', 'driver_activity'] },
  { name: 'batch100', label: '100 entities x 2 views', entities: 100, views: ['driver_stats', 'driver_quality'] },
];

const SELECTIONS: Record<string, string> = {
  driver_stats: 'driverStats { convRate accRate avgDailyTrips }',
  driver_quality: 'driverQuality { rating complaints30d cancelRate }',
  driver_activity: 'driverActivity { onlineHours7d trips7d lastCity }',
};



/** `count` request id lists of a case, drawn uniformly from the loaded entities. */
export const idLists = (c: BenchCase, count: number): string[][] => {
  const rand = seededRandom(42 + c.entities);
  return Array.from({ length: count }, () => Array.from({ length: c.entities }, () => String(1 + Math.floor(rand() * ENTITIES))));
};

/** A client's usual shape: one fixed operation text, the ids as variables. */
export const graphqlBody = (c: BenchCase, ids: readonly string[]): string => {
  const sel = c.views.map((v) => SELECTIONS[v]).join(' ');
  return c.entities === 1
    ? JSON.stringify({ query: `query One($id: ID!) { driver(driverId: $id) { ${sel} } }`, variables: { id: ids[0] } })
    : JSON.stringify({ query: `query Many($ids: [ID!]!) { drivers(driverIds: $ids) { driverId ${sel} } }`, variables: { ids } });
};

export const floorBody = (c: BenchCase, ids: readonly string[]): string => JSON.stringify({ ids, views: c.views });

/** Every feature value in a response, sorted: equal across servers when they returned the same data. */
export const leafValues = (v: unknown, out: string[] = []): string[] => {
  if (Array.isArray(v)) v.forEach((x) => leafValues(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (k !== 'driverId' && k !== 'driver_id') leafValues(x, out);
  } else out.push(JSON.stringify(v));
  return out;
};

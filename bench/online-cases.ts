/** The benchmark's cases: the same reads as GraphQL operations (featuregraph, naive) and as floor bodies. */
import { createHash } from 'node:crypto';
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

/** The operation a case sends (one fixed text per case, as a client's generated document). */
export const operation = (c: BenchCase): { query: string; operationName: string } => {
  const sel = c.views.map((v) => SELECTIONS[v]).join(' ');
  return c.entities === 1
    ? { query: `query One($id: ID!) { driver(driverId: $id) { ${sel} } }`, operationName: 'One' }
    : { query: `query Many($ids: [ID!]!) { drivers(driverIds: $ids) { driverId ${sel} } }`, operationName: 'Many' };
};
const variables = (c: BenchCase, ids: readonly string[]) => (c.entities === 1 ? { id: ids[0] } : { ids });

/** A client's usual shape: one fixed operation text, the ids as variables. */
export const graphqlBody = (c: BenchCase, ids: readonly string[]): string =>
  JSON.stringify({ query: operation(c).query, variables: variables(c, ids) });

/** The trusted-documents manifest of the benchmark's operations (what codegen would emit), by sha256. */
export const benchManifest = (): Record<string, string> =>
  Object.fromEntries(CASES.map((c) => operation(c).query).map((q) => [createHash('sha256').update(q).digest('hex'), q]));

export const ALLOWED_ORIGIN = 'https://app.example.com';
/** The API key every benchmarked request carries (the floor checks it with a Map lookup). */
export const BENCH_KEY = 'fgk_bench_0123456789abcdef';
/**
 * A key with the `adhoc` scope: the server runs trusted documents only, so this key is what lets an arbitrary
 * document (the 10,000-alias one) be parsed, and refused by the limits, rather than refused unread.
 */
export const BENCH_ADHOC_KEY = 'fgk_bench_adhoc_0123456789abcdef';

/** A request shape real clients send: its body and its headers beyond content-type. */
export interface Shape {
  readonly name: 'apollo' | 'persisted' | 'graphql_response_json' | 'browser';
  readonly label: string;
  readonly body: (c: BenchCase, ids: readonly string[]) => string;
  readonly headers: Readonly<Record<string, string>>;
}

export const SHAPES: readonly Shape[] = [
  {
    name: 'apollo',
    label: 'Apollo Client (operationName + variables)',
    body: (c, ids) =>
      JSON.stringify({
        operationName: operation(c).operationName,
        variables: variables(c, ids),
        query: operation(c).query,
        extensions: { clientLibrary: { name: '@apollo/client', version: '3.11.0' } },
      }),
    headers: { accept: 'application/graphql-response+json,application/json;q=0.9' },
  },
  {
    name: 'persisted',
    label: 'persisted id (Apollo sha256Hash)',
    body: (c, ids) =>
      JSON.stringify({
        operationName: operation(c).operationName,
        variables: variables(c, ids),
        extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(operation(c).query).digest('hex') } },
      }),
    headers: {},
  },
  {
    name: 'graphql_response_json',
    label: 'accept graphql-response+json',
    body: graphqlBody,
    headers: { accept: 'application/graphql-response+json' },
  },
  { name: 'browser', label: 'browser, allowed Origin', body: graphqlBody, headers: { origin: ALLOWED_ORIGIN, accept: '*/*' } },
];

export const floorBody = (c: BenchCase, ids: readonly string[]): string => JSON.stringify({ ids, views: c.views });

/** Every feature value in a response, sorted: equal across servers when they returned the same data. */
/** Leaf values in order; non-integer numbers compared as Float32 (featuregraph prints the shortest Float32 form, docs/semantics.md). */
export const leafValues = (v: unknown, out: string[] = []): string[] => {
  if (Array.isArray(v)) v.forEach((x) => leafValues(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (k !== 'driverId' && k !== 'driver_id') leafValues(x, out);
  } else out.push(typeof v === 'number' && !Number.isInteger(v) ? String(Math.fround(v)) : JSON.stringify(v));
  return out;
};

import {
  Bool,
  Bytes,
  Float32,
  Float64,
  Int32,
  Int64,
  Json,
  List,
  String as Str,
  Timestamp,
  encodeEntityKey,
  entity,
  featureView,
  pushSource,
  resolveView,
  type FeatureValue,
  type ViewSpec,
} from '../../src/definitions/index.js';
import type { OnlineRow } from '../../src/online/store.js';

/** Small views covering what the online semantics need: ttl, ttl 0, every value type, a composite key. */
const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });

const stats = featureView({
  name: 'stats',
  entities: [driver],
  features: { conv_rate: Float32, trips: Int32, note: Str },
  source: pushSource({ name: 'stats_push' }),
  ttl: '1h',
});

const allTypes = featureView({
  name: 'all_types',
  entities: [customer],
  features: {
    b: Bool,
    i32: Int32,
    i64: Int64,
    f32: Float32,
    f64: Float64,
    s: Str,
    by: Bytes,
    ts: Timestamp,
    j: Json,
    l_i64: List(Int64),
    l_f32: List(Float32),
    l_s: List(Str),
    l_by: List(Bytes),
    l_ts: List(Timestamp),
    l_b: List(Bool),
  },
  source: pushSource({ name: 'all_types_push' }),
  ttl: 0,
});

const pair = featureView({
  name: 'pair',
  entities: [driver, customer],
  features: { trips_together: Int32 },
  source: pushSource({ name: 'pair_push' }),
  ttl: '2d',
});

export interface SemanticsViews {
  readonly stats: ViewSpec;
  readonly allTypes: ViewSpec;
  readonly pair: ViewSpec;
  readonly all: readonly ViewSpec[];
}

export const semanticsViews = (project: string): SemanticsViews => {
  const v = { stats: resolveView(project, stats), allTypes: resolveView(project, allTypes), pair: resolveView(project, pair) };
  return { ...v, all: [v.stats, v.allTypes, v.pair] };
};

export const row = (
  key: string,
  eventTs: number | Date,
  values: Record<string, FeatureValue>,
  createdTs: number | Date | null = null,
): OnlineRow => ({
  key,
  eventTs: new Date(eventTs),
  createdTs: createdTs === null ? null : new Date(createdTs),
  values,
});

export const compositeKey = (...parts: string[]): string => encodeEntityKey(parts);

/** Fisher–Yates with a seeded generator, so a failing order can be reproduced. */
export const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let s = seed >>> 0 || 1;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/** Every value type at its awkward edges; used for exact round-trip checks. */
export const edgeValues: Record<string, FeatureValue>[] = [
  {
    b: true,
    i32: -(2 ** 31),
    i64: 2n ** 63n - 1n,
    f32: Math.fround(0.1),
    f64: 0.1 + 0.2,
    s: 'plain',
    by: new Uint8Array(Array.from({ length: 256 }, (_, i) => i)),
    ts: new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)),
    j: { nested: { list: [1, 'two', null, true], n: 1.5 }, empty: {}, s: 'x"y' },
    l_i64: [9007199254740993n, -(2n ** 63n), null, 0n],
    l_f32: [Math.fround(3.14159), null, Math.fround(-1e-10)],
    l_s: ['a', '', null, 'ü|{}'],
    l_by: [new Uint8Array([0, 255]), new Uint8Array([]), null],
    l_ts: [new Date(-86_400_000 * 365), null, new Date(0)],
    l_b: [false, null, true],
  },
  {
    b: false,
    i32: 2 ** 31 - 1,
    i64: -(2n ** 63n),
    f32: Math.fround(-3.4e38),
    f64: 5e-324,
    s: 'quotes " \\ newline\n tab\t emoji 😀 cjk 漢字 pipe | braces {x} colon :',
    by: new Uint8Array([]),
    ts: new Date(-1),
    j: [1, [2, [3]], 'deep', { a: null }],
    l_i64: [],
    l_f32: [],
    l_s: [],
    l_by: [],
    l_ts: [],
    l_b: [],
  },
  {
    b: null,
    i32: null,
    i64: 9007199254740993n,
    f32: null,
    f64: 1.7976931348623157e308,
    s: null,
    by: null,
    ts: null,
    j: 'a bare json string',
    l_i64: null,
    l_f32: null,
    l_s: null,
    l_by: null,
    l_ts: null,
    l_b: null,
  },
  {
    b: null,
    i32: 0,
    i64: 0n,
    f32: 0,
    f64: -1.5,
    s: '',
    by: null,
    ts: new Date(8.64e15),
    j: null,
    l_i64: null,
    l_f32: null,
    l_s: null,
    l_by: null,
    l_ts: null,
    l_b: null,
  },
];

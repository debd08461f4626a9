import { describe, expectTypeOf, it, expect } from 'vitest';
import {
  Bool,
  Float32,
  Int64,
  Json,
  List,
  Timestamp,
  Bytes,
  String as Str,
  entity,
  feature,
  featureView,
  pushSource,
  type RowOf,
  type JsonValue,
} from '../../src/definitions/index.js';
import { accidentProximity, driverStats } from '../../schema/index.js';

describe('definitions carry their TypeScript types', () => {
  it('infers a view row type from its features', () => {
    type Row = RowOf<typeof driverStats.features>;
    expectTypeOf<Row>().toEqualTypeOf<{
      readonly conv_rate: number | null;
      readonly acc_rate: number | null;
      readonly avg_daily_trips: number | null;
    }>();
    expect(Object.keys(driverStats.features)).toEqual(['conv_rate', 'acc_rate', 'avg_daily_trips']);
  });

  it('infers the same precise row type from feature(type, { description, unit, range }) as from the bare type', () => {
    const e = entity({ name: 'e', joinKey: 'id', valueType: Str });
    const v = featureView({
      name: 'mixed',
      entities: [e],
      features: { rate: feature(Float32, { description: 'A rate.', unit: 'ratio', range: [0, 1] }), n: Int64, tags: feature(List(Str)) },
      source: pushSource({ name: 'p' }),
      ttl: 0,
    });
    type Row = RowOf<typeof v.features>;
    expectTypeOf<Row>().toEqualTypeOf<{
      readonly rate: number | null;
      readonly n: bigint | null;
      readonly tags: (string | null)[] | null;
    }>();
    // @ts-expect-error — no such feature
    v.select('nope');
    expect(v.select('rate', 'n').features).toEqual(['rate', 'n']);
  });

  it('maps every value type to its exact TypeScript type', () => {
    const e = entity({ name: 'e', joinKey: 'id', valueType: Str });
    const v = featureView({
      name: 'all_types',
      entities: [e],
      features: { b: Bool, i: Int64, f: Float32, s: Str, by: Bytes, t: Timestamp, j: Json, l: List(Int64) },
      source: pushSource({ name: 'p' }),
      ttl: 0,
    });
    type Row = RowOf<typeof v.features>;
    expectTypeOf<Row['b']>().toEqualTypeOf<boolean | null>();
    expectTypeOf<Row['i']>().toEqualTypeOf<bigint | null>();
    expectTypeOf<Row['by']>().toEqualTypeOf<Uint8Array | null>();
    expectTypeOf<Row['t']>().toEqualTypeOf<Date | null>();
    expectTypeOf<Row['j']>().toEqualTypeOf<JsonValue | null>();
    expectTypeOf<Row['l']>().toEqualTypeOf<(bigint | null)[] | null>();
    expect(v.online).toBe(true);
  });

  it('types an on-demand transform by its inputs and request arguments', () => {
    type Args = Parameters<typeof accidentProximity.transform>;
    expectTypeOf<Args[1]>().toEqualTypeOf<{ readonly user_lat: number; readonly user_lon: number }>();
    expectTypeOf<NonNullable<Args[0]['accident_history']>['accidents_12m']>().toEqualTypeOf<number | null>();
    expect(accidentProximity.transform({ accident_history: null }, { user_lat: 0, user_lon: 0 })).toEqual({
      distance_km: null,
      near_last_accident: null,
    });
  });

  it('only lets a feature service select features the view has', () => {
    // @ts-expect-error — no such feature
    driverStats.select('nope');
    expect(driverStats.select('conv_rate').features).toEqual(['conv_rate']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  Float64,
  Int32,
  Int64,
  String as Str,
  entity,
  feature,
  featureView,
  formatProblem,
  onDemandView,
  pushSource,
  repository,
  resolveRepository,
  validateRepository,
  type Entity,
  type Repository,
} from '../../src/definitions/index.js';
import { describeRepository } from '../../src/registry/describe.js';

const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
const trip = entity({ name: 'trip', joinKey: 'trip_id', valueType: Str });
const push = pushSource({ name: 'p' });

const problems = (repo: Repository) => validateRepository(repo).map(formatProblem);

describe('feature references to entities', () => {
  it('accepts a reference whose value type equals the join key type, and resolves the relation name', () => {
    const v = featureView({
      name: 'trip_facts',
      entities: [trip],
      features: {
        fare: Float64,
        driver_id: feature(Int64, { references: driver }),
        rider: feature(Str, { references: customer }),
        backup_driver_id: feature(Int64, { references: driver, relation: 'standby' }),
      },
      source: push,
      ttl: 0,
    });
    const repo = repository({ featureViews: [v] });
    expect(problems(repo)).toEqual([]);
    // Referenced entities are collected like the view's own.
    expect(repo.entities.map((e) => e.name).sort()).toEqual(['customer', 'driver', 'trip']);
    const spec = resolveRepository(repo).views[0]!;
    expect(spec.features.map((f) => f.references ?? null)).toEqual([
      null,
      { entity: 'driver', relation: 'driver' },
      { entity: 'customer', relation: 'customer' },
      { entity: 'driver', relation: 'standby' },
    ]);
  });

  it('reports, naming the view and feature: a type mismatch, an unknown entity, a non-entity, a taken field name', () => {
    const otherDriver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
    const v = featureView({
      name: 'trip_facts',
      entities: [trip],
      features: {
        driver_id: feature(Str, { references: driver }),
        second_driver_id: feature(Int64, { references: otherDriver }),
        customer_id: feature(Str, { references: 'customer' as unknown as Entity }),
        customer: Int32,
        rider_id: feature(Str, { references: customer, relation: 'customer' }),
        age_id: feature(Str, { references: customer, relation: 'age_seconds' }),
      },
      source: push,
      ttl: 0,
    });
    // Built by hand so the unknown entity is not collected.
    const repo: Repository = {
      kind: 'repository',
      entities: [driver, customer, trip],
      sources: [push],
      featureViews: [v],
      onDemandViews: [],
      featureServices: [],
    };
    expect(problems(repo)).toEqual([
      'feature view "trip_facts", field "driver_id": references entity "driver", whose join key driver_id is Int64, but the feature is String',
      'feature view "trip_facts", field "second_driver_id": references unknown entity "driver"',
      'feature view "trip_facts", field "customer_id": references "customer", which is not an entity() definition',
      'feature view "trip_facts", field "rider_id": relation "customer" becomes GraphQL field "customer", as feature "customer" does; name it with relation: \'…\'',
      'feature view "trip_facts", field "age_id": relation name "age_seconds" is reserved',
    ]);
  });

  it('rejects references on on-demand features and request arguments', () => {
    const base = featureView({ name: 'base', entities: [customer], features: { x: Float64 }, source: push, ttl: 0 });
    const o = onDemandView({
      name: 'od',
      sources: { base },
      request: { who: feature(Str, { references: customer }) },
      features: { y: feature(Str, { references: customer }) },
      transform: () => ({ y: null }),
    });
    expect(problems(repository({ onDemandViews: [o] }))).toEqual([
      'on-demand view "od", field "y": references is only for features of feature views',
      'on-demand view "od", field "who": references is only for features of feature views',
    ]);
  });

  it('a reference is part of the content hash: changing it changes the view', () => {
    const view = (to: Entity) =>
      featureView({ name: 'trip_facts', entities: [trip], features: { who_id: feature(Str, { references: to }) }, source: push, ttl: 0 });
    const hashOf = (to: Entity) => describeRepository(repository({ featureViews: [view(to)] })).find((o) => o.name === 'trip_facts')!.hash;
    const other = entity({ name: 'other', joinKey: 'other_id', valueType: Str });
    expect(hashOf(customer)).not.toBe(hashOf(other));
  });
});

/**
 * Test fixtures: the demo repository moved onto a test's own source schema, and the source
 * tables it reads, so registry tests run in parallel without sharing the `demo` schema.
 */
import {
  featureService,
  featureView,
  onDemandView,
  postgresSource,
  repository,
  type Entity,
  type FeatureSelection,
  type FeatureView,
  type OnDemandView,
  type Repository,
  type Source,
} from '../../src/definitions/index.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, uniqueProject } from '../support/env.js';
import demo from '../../schema/index.js';

export const DEMO_SOURCE_DDL = (schema: string): string[] => [
  `CREATE SCHEMA IF NOT EXISTS "${schema}"`,
  `CREATE TABLE "${schema}".driver_hourly_stats (driver_id bigint NOT NULL, event_timestamp timestamptz NOT NULL, created timestamptz NOT NULL,
     conv_rate real, acc_rate real, avg_daily_trips integer)`,
  `CREATE TABLE "${schema}".credit_scores (customer_id text NOT NULL, event_timestamp timestamptz NOT NULL, created timestamptz NOT NULL, score integer)`,
  `CREATE TABLE "${schema}".accident_history (customer_id text NOT NULL, event_timestamp timestamptz NOT NULL, created timestamptz NOT NULL,
     accidents_12m integer, last_accident_lat double precision, last_accident_lon double precision)`,
  `CREATE TABLE "${schema}".trip_facts (trip_id text NOT NULL, event_timestamp timestamptz NOT NULL, created timestamptz NOT NULL,
     fare double precision, driver_id bigint, customer_id text)`,
];

export const createDemoSources = async (sql: SqlClient, schema: string): Promise<void> => {
  for (const ddl of DEMO_SOURCE_DDL(schema)) await sql.query(ddl);
};

export interface Overrides {
  /** Replace a feature view's fields (after relocation), by view name. */
  readonly views?: Readonly<Record<string, (v: FeatureView) => FeatureView>>;
  readonly onDemand?: Readonly<Record<string, (o: OnDemandView) => OnDemandView>>;
  /** Drop these entities, views and services entirely. */
  readonly without?: readonly string[];
  /** Keep the trip entity and its trip_facts view (relations); registry tests leave them out so their counts stay put. */
  readonly withTrips?: boolean;
}

/**
 * The demo repository with its postgres sources read from `schema` instead of `demo`,
 * and optional per-object edits; references between objects are rebuilt to match.
 */
export const demoRepository = (schema: string, overrides: Overrides = {}, base: Repository = demo): Repository => {
  const without = new Set([...(overrides.without ?? []), ...(overrides.withTrips ? [] : ['trip_facts', 'trip'])]);
  const sources = new Map<Source, Source>();
  const moveSource = (s: Source): Source => {
    const hit = sources.get(s);
    if (hit) return hit;
    const moved = s.kind === 'postgresSource' && s.table ? postgresSource({ ...s, table: s.table.replace(/^demo\./, `${schema}.`) }) : s;
    sources.set(s, moved);
    return moved;
  };
  const views = new Map<FeatureView, FeatureView>();
  for (const v of base.featureViews) {
    if (without.has(v.name)) continue;
    const moved = featureView({ ...v, source: moveSource(v.source), tags: { ...(v.tags ?? {}) } });
    views.set(v, overrides.views?.[v.name]?.(moved) ?? moved);
  }
  const odvs = new Map<OnDemandView, OnDemandView>();
  for (const o of base.onDemandViews) {
    if (without.has(o.name)) continue;
    const inputs = Object.fromEntries(Object.entries(o.sources).map(([alias, v]) => [alias, views.get(v as FeatureView) ?? v]));
    const moved = onDemandView({ ...o, sources: inputs });
    odvs.set(o, overrides.onDemand?.[o.name]?.(moved) ?? moved);
  }
  const services = base.featureServices
    .filter((s) => !without.has(s.name))
    .map((s) =>
      featureService({
        ...s,
        features: s.features
          .filter((sel) => !without.has(sel.view.name))
          .map((sel): FeatureSelection => {
            const view = sel.view.kind === 'featureView' ? views.get(sel.view) : odvs.get(sel.view);
            return view ? view.select(...sel.features) : sel;
          }),
      }),
    );
  return repository({
    entities: base.entities.filter((e) => !without.has(e.name)),
    featureViews: [...views.values()],
    onDemandViews: [...odvs.values()],
    featureServices: services,
  });
};

/** Rebuild a feature view with some fields replaced; `select` is rebound to the new view. */
export const withView = (v: FeatureView, patch: Partial<Omit<FeatureView, 'kind' | 'select'>>): FeatureView =>
  featureView({ ...v, ...patch });

/** The repository's customer entity, so a new view joins the same entity object. */
export const customerOf = (repo: Repository): Entity => {
  const c = repo.entities.find((e) => e.name === 'customer');
  if (!c) throw new Error('the demo repository has no customer entity');
  return c;
};

/**
 * The database of one registry describe block: opened once, a fresh project and source schema per test
 * (`setup`), both dropped after each test so files and tests run in parallel.
 */
export const useRegistryDb = (open: () => Promise<SqlClient>, prefix: string) => {
  const db = {
    sql: undefined as unknown as SqlClient,
    project: '',
    src: '',
    /** A new project; `createSources` fills its source schema (the demo tables by default). */
    async setup(createSources: (sql: SqlClient, schema: string) => Promise<void> = createDemoSources) {
      db.project = uniqueProject(prefix);
      db.src = `src_${db.project}`;
      await createSources(db.sql, db.src);
    },
  };
  beforeAll(async () => {
    db.sql = await open();
  });
  afterAll(async () => {
    await db.sql.close();
  });
  afterEach(async () => {
    if (db.project) await dropSchemas(db.sql, `fg_${db.project}`, db.src);
  });
  return db;
};

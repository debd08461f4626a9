import { describe, expect, it } from 'vitest';
import {
  DefinitionError,
  Float32,
  Int32,
  Int64,
  String as Str,
  entity,
  featureService,
  featureView,
  formatProblem,
  onDemandView,
  postgresSource,
  pushSource,
  repository,
  resolveRepository,
  validateRepository,
  type Duration,
  type OnDemandView,
  type Repository,
} from '../../src/definitions/index.js';
import { checkSourceColumns } from '../../src/offline/postgres/source-checks.js';
import { applyRepository, getCurrentVersion, planRepository } from '../../src/registry/index.js';
import { sampleRunOnDemandViews } from '../../src/registry/sample-run.js';
import demo from '../../schema/index.js';
import { sqlBackends } from '../support/env.js';
import { useRegistryDb } from './fixtures.js';

const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });

/** One repository with one of each static problem issue 2 lists. */
const staticallyBroken = (): Repository => {
  const driverAgain = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
  const stranger = entity({ name: 'stranger', joinKey: 'stranger_id', valueType: Str });
  const push = pushSource({ name: 'p' });
  const dupView = featureView({ name: 'dup_view', entities: [driver], features: { x: Int32 }, source: push, ttl: '1d' });
  const views = [
    featureView({ name: 'BadName', entities: [driver], features: { x: Int32 }, source: push, ttl: '1d' }),
    dupView,
    featureView({ name: 'dup_view', entities: [driver], features: { y: Int32 }, source: push, ttl: '1d' }),
    featureView({ name: 'collides', entities: [driver], features: { conv_rate: Float32, conv__rate: Float32 }, source: push, ttl: '1d' }),
    featureView({ name: 'strangers', entities: [stranger], features: { x: Int32 }, source: push, ttl: '1d' }),
    featureView({ name: 'bad_ttl', entities: [driver], features: { x: Int32 }, source: push, ttl: '2 days' as unknown as Duration }),
    featureView({ name: 'reserved_feature', entities: [driver], features: { event_timestamp: Int32 }, source: push, ttl: 0 }),
    featureView({ name: 'tag', entities: [driver], features: { x: Int32 }, source: push, ttl: 0 }),
  ];
  // Built by hand: `repository()` would collect the unknown entity into the repository.
  return {
    kind: 'repository',
    entities: [driver, driverAgain],
    sources: [push],
    featureViews: views,
    onDemandViews: [],
    featureServices: [featureService({ name: 'feature_views', features: [dupView.select('x')] })],
  };
};

describe('static validation', () => {
  it('lists every kind of problem together, naming object and field', () => {
    const problems = validateRepository(staticallyBroken(), 'p1').map(formatProblem);
    const expected = [
      /feature view "BadName": name must be lower_snake_case/,
      /entity "driver": is defined more than once/,
      /feature view "dup_view": is defined more than once/,
      /feature view "collides", field "conv__rate": "conv__rate" and "conv_rate" both become GraphQL field "convRate"/,
      /feature view "strangers", field "entities": unknown entity "stranger"/,
      /feature view "bad_ttl", field "ttl": ttl must be a duration/,
      /feature view "reserved_feature", field "event_timestamp": "event_timestamp" is reserved/,
      /feature view "tag": becomes GraphQL type "Tag", which featuregraph reserves/,
      /feature service "feature_views": becomes root field "featureViews", which featuregraph reserves/,
    ];
    for (const re of expected)
      expect(
        problems.some((p) => re.test(p)),
        `${re} in\n${problems.join('\n')}`,
      ).toBe(true);
  });
});

describe('on-demand sample run', () => {
  it('reports missing outputs and wrong output types, naming view and feature', () => {
    const base = featureView({ name: 'base', entities: [driver], features: { x: Float32 }, source: pushSource({ name: 'p' }), ttl: '1d' });
    const odv = onDemandView({
      name: 'derived',
      sources: { base },
      request: { factor: Float32 },
      features: { scaled: Float32, label: Str, count: Int32 },
      // Wrong on purpose: a string where a float is declared, a fraction for an Int32, no `label`.
      transform: (({ base: b }: { base: { x: number | null } | null }, { factor }: { factor: number }) => ({
        scaled: b?.x == null ? null : String(b.x * factor),
        count: 0.5,
      })) as unknown as OnDemandView['transform'],
    });
    const problems = sampleRunOnDemandViews(repository({ onDemandViews: [odv] })).map(formatProblem);
    expect(problems).toEqual([
      'on-demand view "derived", field "label": transform returned no value with no input rows (use null for a missing value) (declared String)',
      'on-demand view "derived", field "count": transform returned a wrong type with no input rows: expected Int32, got 0.5 (declared Int32)',
      'on-demand view "derived", field "scaled": transform returned a wrong type on sample input rows: expected Float32, got "2.25" (declared Float32)',
    ]);
  });

  it('accepts the demo transform, and does not judge a transform that throws on sample data', () => {
    const base = featureView({ name: 'base', entities: [driver], features: { x: Float32 }, source: pushSource({ name: 'p' }), ttl: '1d' });
    const throwing = onDemandView({
      name: 'picky',
      sources: { base },
      request: {},
      features: { y: Float32 },
      transform: () => {
        throw new Error('needs real data');
      },
    });
    expect(sampleRunOnDemandViews(repository({ onDemandViews: [throwing] }))).toEqual([]);
    expect(sampleRunOnDemandViews(demo)).toEqual([]);
  });

  it('reports bad drift options (threshold, per-feature threshold, minRows), naming the view', () => {
    const view = (drift: object) =>
      featureView({ name: 'watched', entities: [driver], features: { x: Int32 }, source: pushSource({ name: 'p' }), ttl: '1d', drift });
    const problems = (drift: object) => validateRepository(repository({ featureViews: [view(drift)] })).map(formatProblem);
    expect(problems({ threshold: 0.1, minRows: 50, features: { x: 0.3 } })).toEqual([]);
    expect(problems({ minRows: 0 })).toEqual([
      'feature view "watched", field "drift": drift.minRows must be a whole number of at least 1, got 0',
    ]);
    expect(problems({ minRows: 2.5 })).toHaveLength(1);
    expect(problems({ threshold: -1, features: { y: 0.2 } })).toEqual([
      'feature view "watched", field "drift": threshold must be a positive number, got -1',
      'feature view "watched", field "drift": drift.features names "y", which is not a feature of it',
    ]);
  });
});

describe.each(sqlBackends)('source checks on $name', ({ open }) => {
  const db = useRegistryDb(open, 'val');

  // Sources with deliberately wrong column types.
  const setup = () =>
    db.setup(async (sql, src) => {
      await sql.query(`CREATE SCHEMA "${src}"`);
      await sql.query(
        `CREATE TABLE "${src}".stats (driver_id bigint, ts timestamptz, created text, conv_rate text, acc real, trips integer)`,
      );
      await sql.query(`CREATE TABLE "${src}".ok (driver_id bigint, ts date, rate real)`);
    });

  const sourceBroken = (): Repository => {
    const stats = postgresSource({
      name: 'stats',
      table: `${db.src}.stats`,
      timestampField: 'ts',
      createdTimestampColumn: 'created',
      fieldMapping: { acc_rate: 'acc' },
    });
    return repository({
      featureViews: [
        featureView({
          name: 'missing_table',
          entities: [driver],
          features: { x: Int32 },
          source: postgresSource({ name: 'gone', table: `${db.src}.gone`, timestampField: 'ts' }),
          ttl: '1d',
        }),
        featureView({
          name: 'driver_stats',
          entities: [driver],
          features: { conv_rate: Float32, acc_rate: Int32, avg_daily_trips: Int32, trips: Int64 },
          source: stats,
          ttl: '1d',
        }),
        featureView({
          name: 'bad_query',
          entities: [driver],
          features: { rate: Float32 },
          source: postgresSource({ name: 'q', query: `SELECT * FROM "${db.src}".nope`, timestampField: 'ts' }),
          ttl: '1d',
        }),
        featureView({
          name: 'good_query',
          entities: [driver],
          features: { rate: Float32 },
          source: postgresSource({ name: 'q2', query: `SELECT driver_id, ts, rate FROM "${db.src}".ok`, timestampField: 'ts' }),
          ttl: '1d',
        }),
        featureView({
          name: 'string_key',
          entities: [entity({ name: 'customer', joinKey: 'driver_id', valueType: Str })],
          features: { rate: Float32 },
          source: postgresSource({ name: 'ok', table: `${db.src}.ok`, timestampField: 'ts' }),
          ttl: '1d',
        }),
      ],
    });
  };

  it('reports unknown tables, failing queries, missing columns and incompatible types, all of them', async () => {
    await setup();
    const problems = (await checkSourceColumns(db.sql, resolveRepository(sourceBroken(), db.project).views)).map(formatProblem);
    expect(problems).toEqual([
      `feature view "missing_table", field "source": table ${db.src}.gone does not exist`,
      `feature view "driver_stats", field "conv_rate": column conv_rate of ${db.src}.stats is text; Float32 needs real`,
      `feature view "driver_stats", field "acc_rate": column acc (mapped from acc_rate) of ${db.src}.stats is real; Int32 needs smallint, integer`,
      `feature view "driver_stats", field "avg_daily_trips": column avg_daily_trips does not exist in ${db.src}.stats (it has driver_id, ts, created, conv_rate, acc, trips)`,
      `feature view "driver_stats", field "createdTimestampColumn": created timestamp column created of ${db.src}.stats is text; it needs timestamptz, timestamp or date`,
      `feature view "bad_query", field "source": query fails: relation "${db.src}.nope" does not exist`,
      `feature view "string_key", field "driver_id": column driver_id of ${db.src}.ok is bigint; join key String needs text, character varying, character, uuid, citext, name`,
    ]);
  });

  it('does not send a source that failed static checks to the database', async () => {
    await setup();
    await db.sql.query(`INSERT INTO "${db.src}".ok VALUES (1, '2025-01-01', 0.5)`);
    const evil = postgresSource({ name: 'evil', query: `DELETE FROM "${db.src}".ok RETURNING *`, timestampField: 'ts' });
    const repo = repository({
      featureViews: [featureView({ name: 'evil_view', entities: [driver], features: { rate: Float32 }, source: evil, ttl: '1d' })],
    });
    const err = await applyRepository(db.sql, repo, { project: db.project }).catch((e: unknown) => e);
    expect((err as DefinitionError).problems.map(formatProblem)).toEqual([
      'source "evil", field "query": query must be a SELECT (or WITH … SELECT)',
    ]);
    expect((await db.sql.query(`SELECT * FROM "${db.src}".ok`)).rows).toHaveLength(1);
  });

  it('apply fails with static and source problems listed together, and writes nothing', async () => {
    await setup();
    const base = sourceBroken();
    const broken: Repository = {
      ...base,
      featureViews: [
        ...base.featureViews,
        featureView({ name: 'Bad', entities: [driver], features: { x: Int32 }, source: pushSource({ name: 'p' }), ttl: '1d' }),
      ],
    };
    const err = await applyRepository(db.sql, broken, { project: db.project }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefinitionError);
    const messages = (err as DefinitionError).problems.map(formatProblem);
    expect(messages.some((m) => m.startsWith('feature view "Bad"'))).toBe(true);
    expect(messages.some((m) => m.includes(`table ${db.src}.gone does not exist`))).toBe(true);
    expect(messages.some((m) => m.includes('conv_rate of'))).toBe(true);
    expect(messages).toHaveLength(8);
    expect((err as Error).message).toContain('8 problems in the feature definitions');
    await expect(planRepository(db.sql, broken, { project: db.project })).rejects.toBeInstanceOf(DefinitionError);
    expect(await getCurrentVersion(db.sql, db.project)).toBeNull();
    const schema = await db.sql.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`fg_${db.project}`]);
    expect(schema.rows).toHaveLength(0);
  });
});

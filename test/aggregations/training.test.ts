import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camelCase } from '../../src/definitions/naming.js';
import { projectSchema, resolveRepository, type ResolvedRepository, type ViewSpec } from '../../src/definitions/resolve.js';
import type { AggregationSpec } from '../../src/definitions/aggregation-spec.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { openOfflineStore } from '../../src/offline/index.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { getHistoricalFeatures, TrainingSetError } from '../../src/offline/training-set.js';
import { pushRows } from '../../src/online/push.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { rng } from '../offline/random-sources.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import {
  Int32,
  String as Str,
  count,
  entity,
  feature,
  featureView,
  onDemandView,
  pushSource,
  aggregationView,
  repository,
} from '../../src/definitions/index.js';
import { planRelations } from '../../src/offline/training/relation-refs.js';
import { validateRepository } from '../../src/definitions/validate.js';
import { bruteForce, eventRow, pressure, trainingRepository, withReplays, type TestEvent } from './fixture.js';

const iso = (ms: number) => new Date(ms).toISOString();
const WINDOWS = [300_000, 3_600_000, 86_400_000];

/** Bit-exact equality: bigint, numbers by Object.is, strings, booleans, null. */
const same = (a: FeatureValue | undefined, b: FeatureValue | undefined): boolean =>
  Object.is(a ?? null, b ?? null) || (typeof a === 'bigint' && a === b);

/** A value as GraphQL returns it: Int64 as a string. */
const asJson = (v: FeatureValue | undefined): unknown => (typeof v === 'bigint' ? v.toString() : (v ?? null));

/**
 * Aggregation outputs in training sets and on-demand views over them (docs/aggregations.md, "In training sets",
 * "In on-demand views"): for random events built to hit every edge (equal timestamps, events exactly on the
 * window edges of the entity rows, late events, replays) and entity rows at window edges, after now and
 * repeated, the training set equals the brute-force model, and equals GraphQL's asOf at the same instant.
 */
describe.each(sqlBackends)('aggregation outputs in training sets ($name)', (backend) => {
  const project = uniqueProject('aggtrain');
  const defs = trainingRepository(project);
  let repo: ResolvedRepository;
  let spec: AggregationSpec;
  let profileView: ViewSpec;
  let sql: SqlClient;
  let online: OnlineStore;
  let offline: OfflineStore;
  const events: TestEvent[] = [];
  const T = Date.now();
  const customers = ['C1', 'C2', 'C3', 'C4|x', 'C5'];
  const entityRows: { customer_id: string; event_timestamp: string; budget: string }[] = [];

  beforeAll(async () => {
    sql = await backend.open();
    online = createSqlOnlineStore(sql, project);
    await applyRepository(sql, defs, { project, onlineTables: true });
    repo = resolveRepository(defs, project);
    spec = repo.aggregationViews[0]!;
    profileView = repo.views.find((v) => v.name === 'customer_profile')!;
    offline = openOfflineStore(sql);
    await online.prepare(repo.views, repo.aggregationViews);

    const r = rng(20261207);
    // A few base instants; events exactly on each window's edges around them, ties on event time, late events.
    const bases = [T, T - 1, T - 30_000, T - 1_800_000, T - 7_200_000];
    const edges = bases.flatMap((t) => WINDOWS.flatMap((w) => [t - w - 1, t - w, t - w + 1, t, t + 1]));
    const times = [...edges, ...Array.from({ length: 50 }, () => T - r.int(86_400_000 + 120_000)), T - 2 * 86_400_000];
    for (let i = 0; i < 500; i++) {
      const ts = r.pick(times);
      events.push({
        customer_id: r.pick(customers.slice(0, 4)),
        request_id: `r${i}`,
        ts,
        created: r.pick([T - 20, T - 10, T]),
        values: {
          request_id: `r${i}`,
          amount: r.next() < 0.1 ? null : r.int(2001) - 1000,
          score: r.next() < 0.1 ? null : Math.round((r.next() * 200 - 100) * 1000) / 1000,
          channel: r.pick([null, 'web', 'app', 'phone', 'wéb']),
        },
      });
    }
    const pushed = withReplays(events, r.next);
    for (let i = 0; i < pushed.length; i += 61)
      await pushRows({ offline, online, project }, spec.events, pushed.slice(i, i + 61).map(eventRow), 'ONLINE_AND_OFFLINE', {
        aggregation: spec,
      });
    // Profiles: a few per customer over the last day (ttl 2h, so some rows have none); C5 has one, C4|x none.
    const profiles = customers
      .filter((c) => c !== 'C4|x')
      .flatMap((c) =>
        Array.from({ length: c === 'C5' ? 1 : 6 }, (_, k) => ({
          customer_id: c,
          event_timestamp: iso(T - r.int(86_400_000) - (k === 0 ? 0 : 1)),
          tier: r.pick(['gold', 'silver', null]),
          credit_limit: r.pick([0, 500, 1000, 2500, null]),
        })),
      );
    await pushRows({ offline, online, project }, profileView, profiles, 'ONLINE_AND_OFFLINE');

    // Entity rows on the edges of the events' windows, at now, after now (clamped), far back, and repeated.
    const eventTimes = events.map((e) => e.ts);
    const instants = [
      ...eventTimes.flatMap((ts) => WINDOWS.flatMap((w) => [ts, ts - 1, ts + w, ts + w - 1, ts + w + 1])),
      T,
      T + 5_000,
      T - 3 * 86_400_000,
    ];
    for (let i = 0; i < 360; i++) {
      const t = i < 12 ? [T, T + 5_000, T - 1][i % 3]! : r.pick(instants);
      entityRows.push({ customer_id: r.pick(customers), event_timestamp: iso(t), budget: String(r.int(3000) - 1000) });
    }
    for (let i = 0; i < 20; i++) entityRows.push({ ...entityRows[r.int(entityRows.length)]! }); // duplicates
  });

  afterAll(async () => {
    await online?.close();
    await dropSchemas(sql, projectSchema(project));
    await sql?.close();
  });

  const aggRefs = () => spec.outputs.map((o) => `quote_stats:${o.name}`);
  const ODFS = ['recent', 'sum_per_limit', 'over_budget', 'label'];
  /** The instant every read of an entity row uses: its time, clamped to now. */
  const at = (ts: string) => Math.min(Date.parse(ts), T);

  it('joins every window exactly as the brute force computes it, in entity row order, mixed with view features (0 mismatches)', async () => {
    const out = await getHistoricalFeatures(
      sql,
      repo,
      {
        entities: { rows: entityRows },
        features: ['customer_profile:tier', ...aggRefs(), 'customer_profile:credit_limit'],
        now: new Date(T),
      },
      { batchSize: 37, chunkRows: 101 },
    );
    expect(out.columns.map((c) => c.name)).toEqual([
      'customer_id',
      'event_timestamp',
      'budget',
      'customer_profile__tier',
      'customer_profile__credit_limit',
      ...spec.outputs.map((o) => `quote_stats__${o.name}`),
    ]);
    expect(out.columns.slice(5).map((c) => (c.type as { name: string }).name)).toEqual(
      spec.outputs.map((o) => (o.type as { name: string }).name),
    );
    expect(out.columns.find((c) => c.name === 'quote_stats__quotes_5m')?.type).toMatchObject({ name: 'Int32' });
    expect(out.columns.find((c) => c.name === 'quote_stats__amount_sum_1h')?.type).toMatchObject({ name: 'Int64' });
    expect(out.columns.find((c) => c.name === 'quote_stats__amount_avg_1d')?.type).toMatchObject({ name: 'Float64' });
    // The view columns are those of a training set of the view alone.
    const plain = await getHistoricalFeatures(sql, repo, {
      entities: { rows: entityRows },
      features: ['customer_profile:tier', 'customer_profile:credit_limit'],
      now: new Date(T),
    });
    const mismatches: string[] = [];
    let nonEmpty = 0;
    expect(out.rows).toHaveLength(entityRows.length);
    entityRows.forEach((e, i) => {
      const row = out.rows[i]!;
      if (row.customer_id !== e.customer_id || (row.event_timestamp as Date).toISOString() !== e.event_timestamp)
        mismatches.push(`row ${i}: out of order`);
      for (const c of ['customer_profile__tier', 'customer_profile__credit_limit'])
        if (!same(row[c], plain.rows[i]![c])) mismatches.push(`row ${i} ${c}: ${String(row[c])} vs ${String(plain.rows[i]![c])}`);
      const want = bruteForce(spec, events, e.customer_id, at(e.event_timestamp));
      if ((want.quotes_1d as number) > 0) nonEmpty++;
      for (const o of spec.outputs) {
        const got = row[`quote_stats__${o.name}`];
        if (!same(got, want[o.name]))
          mismatches.push(`row ${i} ${e.customer_id} ${e.event_timestamp} ${o.name}: ${String(got)} vs ${String(want[o.name])}`);
      }
      expect(out.eventTimestamps[i]!.quote_stats?.getTime()).toBe(at(e.event_timestamp));
    });
    expect(mismatches).toEqual([]);
    // Not vacuous: most rows see events, some do not.
    expect(nonEmpty).toBeGreaterThan(entityRows.length / 2);
    expect(nonEmpty).toBeLessThan(entityRows.length);
  });

  it("computes on-demand features over aggregation outputs with the view's transform, equal to GraphQL asOf and online", async () => {
    const out = await getHistoricalFeatures(
      sql,
      repo,
      {
        entities: { rows: entityRows },
        features: [...aggRefs(), ...ODFS.map((f) => `quote_pressure:${f}`)],
        now: new Date(T),
      },
      { batchSize: 50 },
    );
    // The profile view is read for the transform, not output; request arguments are typed columns.
    expect(out.columns.map((c) => c.name)).toEqual([
      'customer_id',
      'event_timestamp',
      'budget',
      ...spec.outputs.map((o) => `quote_stats__${o.name}`),
      ...ODFS.map((f) => `quote_pressure__${f}`),
    ]);
    const plain = await getHistoricalFeatures(sql, repo, {
      entities: { rows: entityRows },
      features: ['customer_profile:tier', 'customer_profile:credit_limit'],
      now: new Date(T),
    });
    const mismatches: string[] = [];
    entityRows.forEach((e, i) => {
      const t = at(e.event_timestamp);
      const w = bruteForce(spec, events, e.customer_id, t);
      const p = plain.rows[i]!;
      const profile = plain.eventTimestamps[i]!.customer_profile
        ? { tier: p.customer_profile__tier as string | null, credit_limit: p.customer_profile__credit_limit as number | null }
        : null;
      const want = pressure(
        profile,
        { quotes_5m: w.quotes_5m as number, amount_sum_1h: w.amount_sum_1h as bigint, last_channel_5m: w.last_channel_5m as string | null },
        Number(e.budget),
      ) as Record<string, FeatureValue>;
      for (const f of ODFS)
        if (!same(out.rows[i]![`quote_pressure__${f}`], want[f]))
          mismatches.push(`row ${i} ${f}: ${String(out.rows[i]![`quote_pressure__${f}`])} vs ${String(want[f])}`);
    });
    expect(mismatches).toEqual([]);
    expect(out.rows.some((r) => r.quote_pressure__sum_per_limit !== null)).toBe(true);
    expect(out.rows.some((r) => (r.quote_pressure__label as string).startsWith('none/'))).toBe(true);

    // GraphQL asOf at each row's instant: the aggregation view and the on-demand view, for the same rows.
    const app = createApp({ repo, online, offline, registry: unappliedRegistry, now: () => T }, { logging: false });
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: Record<string, Record<string, Record<string, unknown>>>; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const outFields = spec.outputs.map((o) => camelCase(o.name));
    const odFields = ODFS.map(camelCase);
    // One query per instant and at most 12 rows (GraphQL's token limit), rows as aliases.
    const byInstant = new Map<string, number[][]>();
    entityRows.forEach((e, i) => {
      const groups = byInstant.get(e.event_timestamp) ?? [[]];
      byInstant.set(e.event_timestamp, groups);
      if (groups.at(-1)!.length >= 12) groups.push([]);
      groups.at(-1)!.push(i);
    });
    for (const [ts, rows] of [...byInstant].flatMap(([ts, groups]) => groups.map((g) => [ts, g] as const))) {
      const body = rows
        .map(
          (i) =>
            `r${i}: customer(customerId: ${JSON.stringify(entityRows[i]!.customer_id)}) { quoteStats(asOf: $t) { windowEnd ${outFields.join(' ')} } ` +
            `quotePressure(budget: ${entityRows[i]!.budget}, asOf: $t) { ${odFields.join(' ')} } }`,
        )
        .join(' ');
      const data = await gql(`query ($t: DateTime!) { ${body} }`, { t: ts });
      for (const i of rows) {
        const g = data[`r${i}`]!;
        expect(g.quoteStats!.windowEnd).toBe(iso(at(ts)));
        spec.outputs.forEach((o, j) => {
          const want = asJson(out.rows[i]![`quote_stats__${o.name}`]);
          if (g.quoteStats![outFields[j]!] !== want)
            mismatches.push(`asOf row ${i} ${o.name}: GraphQL ${String(g.quoteStats![outFields[j]!])} vs training ${String(want)}`);
        });
        ODFS.forEach((f, j) => {
          const want = asJson(out.rows[i]![`quote_pressure__${f}`]);
          if (g.quotePressure![odFields[j]!] !== want)
            mismatches.push(`asOf row ${i} ${f}: GraphQL ${String(g.quotePressure![odFields[j]!])} vs training ${String(want)}`);
        });
      }
    }
    expect(mismatches).toEqual([]);

    // Online (no asOf) at now: the same as the training rows at now.
    const nowRows = entityRows.flatMap((e, i) => (at(e.event_timestamp) === T ? [i] : []));
    expect(nowRows.length).toBeGreaterThan(3);
    const data: Record<string, Record<string, Record<string, unknown>>> = {};
    for (let k = 0; k < nowRows.length; k += 12)
      Object.assign(
        data,
        await gql(
          `{ ${nowRows
            .slice(k, k + 12)
            .map(
              (i) =>
                `r${i}: customer(customerId: ${JSON.stringify(entityRows[i]!.customer_id)}) { quotePressure(budget: ${entityRows[i]!.budget}) { ${odFields.join(' ')} } }`,
            )
            .join(' ')} }`,
          {},
        ),
      );
    for (const i of nowRows)
      ODFS.forEach((f, j) => {
        const want = asJson(out.rows[i]![`quote_pressure__${f}`]);
        if (data[`r${i}`]!.quotePressure![odFields[j]!] !== want)
          mismatches.push(`online row ${i} ${f}: ${String(data[`r${i}`]!.quotePressure![odFields[j]!])} vs training ${String(want)}`);
      });
    expect(mismatches).toEqual([]);
  });

  it('refuses an unknown output of an aggregation view, naming the view and the output', async () => {
    const err = await getHistoricalFeatures(sql, repo, {
      entities: { rows: entityRows.slice(0, 2) },
      features: ['quote_stats:quotes_5m', 'quote_stats:quotes_7m'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingSetError);
    expect(String(err)).toMatch(/aggregation view "quote_stats" has no output "quotes_7m"; its outputs: quotes_5m, quotes_1h/);
  });
});

describe('on-demand views over aggregation views: definitions', () => {
  it('accepts an aggregation view as an input (and collects it into the repository), refuses inputs of different entities', () => {
    const defs = trainingRepository('aggdefs');
    expect(validateRepository(defs)).toEqual([]);
    const od = defs.onDemandViews[0]!;
    // Listing only the on-demand view collects its aggregation input, as it does its feature views.
    const collected = repository({ project: 'aggdefs', onDemandViews: [od] });
    expect(collected.aggregationViews?.map((a) => a.name)).toEqual(['quote_stats']);
    expect(validateRepository(collected)).toEqual([]);
    const store = entity({ name: 'store', joinKey: 'store_id', valueType: Int32 });
    const visits = aggregationView({
      name: 'store_visits',
      entities: [store],
      source: pushSource({ name: 'visits' }),
      eventId: 'visit_id',
      fields: { visit_id: Int32 },
      aggregations: { visits_1h: count('1h') },
    });
    const mixed = onDemandView({
      name: 'mixed',
      sources: { quotes: od.sources.quotes!, visits },
      request: {},
      features: { n: Int32 },
      transform: ({ quotes, visits: v }) => ({ n: (quotes as { quotes_5m: number }).quotes_5m + v.visits_1h }),
    });
    const problems = validateRepository(repository({ project: 'aggdefs', onDemandViews: [od, mixed] }));
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/reads views of different entities \(customer, store\)/));
  });
});

describe('aggregation views through a relation path', () => {
  it('are refused by name, saying how to ask for them instead', () => {
    const defs = trainingRepository('aggrel');
    const customer = defs.aggregationViews![0]!.entities[0]!;
    const trip = entity({ name: 'trip', joinKey: 'trip_id', valueType: Str });
    const tripFacts = featureView({
      name: 'trip_facts',
      entities: [trip],
      features: { customer_id: feature(Str, { references: customer }) },
      source: pushSource({ name: 'trips' }),
      ttl: '1h',
    });
    const repo = resolveRepository(repository({ ...defs, featureViews: [...(defs.featureViews ?? []), tripFacts] }));
    expect(() => planRelations(repo, ['trip_facts.customer_id:quote_stats:quotes_5m'])).toThrow(
      /aggregation view "quote_stats" cannot be reached through a relation in a training set yet; name its outputs directly \(quote_stats:<output>\)/,
    );
  });
});

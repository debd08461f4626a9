import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { materializeViews, type MarkerOutcome, type MaterializeViewsOptions } from '../../src/materialize/index.js';
import { aggregationView, count, postgresSource, repository, String as Str } from '../../src/definitions/index.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { createOnlineHealer, type OnlineHealer } from '../../src/online/self-heal.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';
import { describeWith } from '../support/services.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-cluster.js';

const AT = new Date(Date.now() - 60_000);

describeWith('redis-server', `self-healing online store: Redis restarted empty (offline on ${sqlBackends.at(-1)!.name})`, () => {
  const project = uniqueProject('heal');
  let sql: SqlClient;
  let redis: RedisServerProcess;
  let online: RedisOnlineStore;
  let healer: OnlineHealer;
  let app: FeatureGraphApp;
  let repo: ResolvedRepository;
  const logs: string[] = [];

  const convRate = async () => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ driver(driverId: "7") { driverStats { convRate } } }' }),
    });
    return (await res.json()) as {
      data?: { driver: { driverStats: { convRate: number } | null } };
      errors?: { extensions: { code: string } }[];
    };
  };
  const ready = async () => {
    const res = await app.fetch('http://test/ready');
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    sql = await sqlBackends.at(-1)!.open();
    const defs = smallRepository(project, project);
    await seedSmallSources(sql, project, 20, AT);
    await applyRepository(sql, defs, { project });
    repo = resolveRepository(defs, project);
    redis = await startRedisServer();
    online = createRedisOnlineStore({ url: redis.url, project });
    await materializeViews({ sql, online, repo }, { start: new Date(0), end: new Date() });
    healer = createOnlineHealer({ sql, online, repo, log: (m) => logs.push(m), intervalMs: 3_600_000 });
    app = createApp(
      { repo, online: healer.store, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
      { logging: false },
    );
  });
  afterAll(async () => {
    healer?.stop();
    await online?.close();
    await redis?.destroy();
    await dropSchemas(sql, project, `fg_${project}`);
    await sql.close();
  });

  it('notices the lost data, answers ONLINE_STORE_EMPTY and /ready 503, then re-materializes by itself (one process)', async () => {
    const before = await convRate();
    expect(before.data?.driver.driverStats?.convRate).toEqual(expect.any(Number));
    await healer.check();
    expect(healer.problem()).toBeNull();
    expect((await ready()).status).toBe(200);

    await redis.kill();
    await redis.restart(); // no persistence: empty
    await online.ping().catch(() => undefined);
    // Another process (a worker, a replica) holds the re-materialization lock: this one waits and says so.
    for (let i = 0; i < 50 && !(await online.marker!.lock('other-process', 60_000).catch(() => false)); i++)
      await new Promise((r) => setTimeout(r, 100));
    await healer.check();
    expect(healer.problem()).toMatch(/lost its data.*another process is re-materializing/);
    const during = await convRate();
    expect(during.data?.driver.driverStats ?? null).toBeNull();
    expect(during.errors?.[0]?.extensions.code).toBe('ONLINE_STORE_EMPTY');
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.text).toMatch(/lost its data/);
    expect(r.text).not.toMatch(/127\.0\.0\.1/);

    await online.marker!.unlock('other-process');
    await healer.check();
    expect(healer.problem()).toBeNull();
    expect(logs.join('\n')).toMatch(/re-materializing driver_stats: \d+ of \d+ rows written[\s\S]*re-materialized 3 views/);
    expect(await convRate()).toEqual(before);
    expect((await ready()).status).toBe(200);
  }, 120_000);

  it('the first read after Redis comes back empty is ONLINE_STORE_EMPTY, not a silent null (no periodic check ran)', async () => {
    const before = await convRate();
    expect(before.data?.driver.driverStats?.convRate).toEqual(expect.any(Number));
    await redis.kill();
    await redis.restart(); // empty; the healer's periodic check is an hour away
    let first = await convRate();
    // Reads during the reconnect fail as unavailable; the first one served by the new Redis must not be a null.
    for (let i = 0; i < 100 && first.errors?.[0]?.extensions.code === 'ONLINE_STORE_UNAVAILABLE'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = await convRate();
    }
    expect(first.errors?.[0]?.extensions.code, JSON.stringify(first)).toBe('ONLINE_STORE_EMPTY');
    expect(first.data?.driver.driverStats ?? null).toBeNull();
    // It started the re-materialization itself: the value comes back.
    for (let i = 0; i < 100 && healer.problem() !== null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await convRate()).toEqual(before);
  }, 120_000);

  it('a read that lands on an empty Redis without a reconnect seen first is ONLINE_STORE_EMPTY: the read itself checks the marker', async () => {
    // What a read queued while Redis was down and replayed by ioredis on the new, empty connection meets:
    // the connection generation checked before the read has not changed yet. Here the data goes away on
    // the same connection (a FLUSHALL of this test's own redis-server), so no reconnect tells the healer.
    const before = await convRate();
    expect(before.data?.driver.driverStats?.convRate).toEqual(expect.any(Number));
    expect(await online.client.flushall()).toBe('OK');
    const after = await convRate();
    expect(after.errors?.[0]?.extensions.code, JSON.stringify(after)).toBe('ONLINE_STORE_EMPTY');
    expect(after.data?.driver.driverStats ?? null).toBeNull();
    for (let i = 0; i < 100 && healer.problem() !== null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await convRate()).toEqual(before);
  }, 120_000);
});

describeWith('redis-server', 'self-healing online store with an aggregation view: the marker comes back last', () => {
  const project = uniqueProject('healagg');
  let sql: SqlClient;
  let redis: RedisServerProcess;
  let repo: ResolvedRepository;
  const stores: RedisOnlineStore[] = [];
  const healers: OnlineHealer[] = [];
  const now = Date.now();

  beforeAll(async () => {
    sql = await sqlBackends.at(-1)!.open();
    await seedSmallSources(sql, project, 20, AT);
    await sql.query(`CREATE TABLE "${project}".ev (customer_id text, eid text, event_timestamp timestamptz, created timestamptz)`);
    // 50 events per customer in the last half hour.
    await sql.query(
      `INSERT INTO "${project}".ev SELECT 'C' || (g % 4), 'e' || g, $1::timestamptz - (g || ' seconds')::interval, $1::timestamptz
         FROM generate_series(1, 200) g`,
      [new Date(now - 5_000)],
    );
    const small = smallRepository(project, project);
    const customer = small.entities.find((e) => e.name === 'customer')!;
    const defs = repository({
      project,
      featureViews: small.featureViews,
      aggregationViews: [
        aggregationView({
          name: 'acts',
          entities: [customer],
          source: postgresSource({
            name: 'ev',
            table: `${project}.ev`,
            timestampField: 'event_timestamp',
            createdTimestampColumn: 'created',
          }),
          eventId: 'eid',
          fields: { eid: Str },
          aggregations: { n_1h: count('1h') },
        }),
      ],
    });
    await applyRepository(sql, defs, { project });
    repo = resolveRepository(defs, project);
    redis = await startRedisServer();
  });
  afterAll(async () => {
    for (const h of healers) h.stop();
    for (const s of stores) await s.close();
    await redis?.destroy();
    await dropSchemas(sql, project, `fg_${project}`);
    await sql.close();
  });

  const open = () => {
    const s = createRedisOnlineStore({ url: redis.url, project });
    stores.push(s);
    return s;
  };
  const acts = (store: OnlineStore) => store.read([], [{ spec: repo.aggregationViews[0]!, keys: ['C1'], at: Date.now() }]);
  const outcome = async (opts: Omit<MaterializeViewsOptions, 'onMarker'>, online: OnlineStore) => {
    let o: MarkerOutcome | undefined;
    await materializeViews({ sql, online, repo }, { ...opts, onMarker: (x) => (o = x) });
    return o;
  };

  it('another worker keeps answering ONLINE_STORE_EMPTY until the aggregation views are rebuilt too', async () => {
    const a = open();
    const b = open();
    await materializeViews({ sql, online: a, repo }, { start: new Date(0), end: new Date() });
    expect((await acts(b))[0]![0]!.values.n_1h).toBe(50);

    // Worker A heals; its aggregation rebuild waits until the test lets it go on.
    let reached!: () => void;
    const atAggregations = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gated: OnlineStore = {
      ...a,
      writeEvents: async (spec, rows, at) => {
        reached();
        await gate;
        return a.writeEvents(spec, rows, at);
      },
    };
    const logs: string[] = [];
    const healerA = createOnlineHealer({ sql, online: gated, repo, log: (m) => logs.push(m), intervalMs: 3_600_000 });
    const healerB = createOnlineHealer({ sql, online: b, repo, log: () => undefined, intervalMs: 3_600_000 });
    healers.push(healerA, healerB);
    await healerA.check();
    await healerB.check();
    expect(healerB.problem()).toBeNull();

    await redis.kill();
    await redis.restart(); // empty
    for (
      let i = 0;
      i < 100 &&
      (await Promise.all([a.ping(), b.ping()]).then(
        () => false,
        () => true,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const healing = healerA.check();
    await atAggregations; // every feature view is rebuilt; the aggregation view is not
    expect(logs.join('\n')).toMatch(/re-materializing customer_profile: .*\(done\)/);
    expect(await a.marker!.present()).toBe(false);
    await healerB.check();
    expect(healerB.problem()).toMatch(/another process is re-materializing/);
    await expect(acts(healerB.store)).rejects.toMatchObject({ code: 'ONLINE_STORE_EMPTY' });

    release();
    await healing;
    expect(healerA.problem()).toBeNull();
    await healerB.check();
    expect(healerB.problem()).toBeNull();
    expect((await acts(healerB.store))[0]![0]!.values.n_1h).toBe(50);
  }, 120_000);

  it('a partial, windowed or incremental run onto a store without a marker leaves it absent; a full one writes it', async () => {
    const a = open();
    await a.client.flushall();
    const end = new Date();
    expect(await outcome({ start: new Date(now - 60_000), end, views: ['driver_stats'] }, a)).toBe('absent');
    // Every view, but from a minute ago: driver_stats rows of an hour before are still within their 2h ttl.
    expect(await outcome({ start: new Date(now - 60_000), end }, a)).toBe('absent');
    expect(await outcome({ end, incremental: true }, a)).toBe('absent');
    // Every view in full but only up to an hour ago: the newer rows are missing.
    expect(await outcome({ start: new Date(0), end: new Date(now - 3_600_000) }, a)).toBe('absent');
    expect(await a.marker!.present()).toBe(false);
    const healer = createOnlineHealer({ sql, online: a, repo, log: () => undefined, intervalMs: 3_600_000 });
    healers.push(healer);
    await expect(healer.store.ping()).rejects.toMatchObject({ code: 'ONLINE_STORE_EMPTY' });
    healer.stop();

    // A window that starts before every row still served (customer_profile keeps its rows forever: none
    // is older than a week here) rebuilds everything: it marks the store.
    expect(await outcome({ start: new Date(now - 7 * 86_400_000), end: new Date() }, a)).toBe('written');
    expect(await a.marker!.present()).toBe(true);
    // A partial run never removes the marker of a complete store.
    expect(await outcome({ start: new Date(now - 60_000), end: new Date(), views: ['driver_stats'] }, a)).toBe('kept');
    expect(await outcome({ end: new Date(), incremental: true }, a)).toBe('kept');
    expect(await a.marker!.present()).toBe(true);
  }, 120_000);
});

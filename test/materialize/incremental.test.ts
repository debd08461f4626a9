import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedRepository } from '../../src/definitions/resolve.js';
import { materializeViews, type MaterializeViewsOptions } from '../../src/materialize/index.js';
import type { OnlineStore } from '../../src/online/store.js';
import { getWatermark } from '../../src/registry/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, uniqueProject } from '../support/env.js';
import { seedSmallSources } from '../support/fixture.js';
import { failingOnWrite, materializeBackends, minutes, resolvedSmall, viewOf, type TestOnline } from './support.js';

describe.each(materializeBackends)('incremental materialization on $name', ({ sql: backend, online: onlineKind }) => {
  let sql: SqlClient;
  let project: string;
  let schema: string;
  let repo: ResolvedRepository;
  let online: TestOnline;
  // Source rows sit 20 minutes in the past; the first run ends 5 minutes ago.
  let now: number;
  let at: Date;
  let end1: Date;

  beforeAll(async () => {
    sql = await backend.open();
  });
  afterAll(async () => {
    await sql.close();
  });
  beforeEach(async () => {
    project = uniqueProject('mi');
    schema = `src_${project}`;
    repo = resolvedSmall(project, schema);
    online = onlineKind.open(sql, project);
    now = Math.floor(Date.now() / 1000) * 1000;
    at = new Date(now - minutes(20));
    end1 = new Date(now - minutes(5));
    await seedSmallSources(sql, schema, 3, at);
  });
  afterEach(async () => {
    await online.cleanup();
    await dropSchemas(sql, schema, `fg_${project}`);
  });

  const run = (end: Date, extra: Partial<MaterializeViewsOptions> = {}, store: OnlineStore = online.store) =>
    materializeViews({ sql, online: store, repo }, { end, incremental: true, ...extra });
  const driverRow = (id: number, event: Date, created: Date | null, trips: number) =>
    sql.query(`INSERT INTO "${schema}".driver_stats VALUES ($1, $2, $3, 0.5, $4)`, [id, event, created, trips]);
  /** avg_daily_trips and event time online for drivers 1..n (null = no row). */
  const trips = async (...ids: number[]) => {
    const [recs] = await online.store.read([{ view: viewOf(repo, 'driver_stats'), keys: ids.map(String), features: ['avg_daily_trips'] }]);
    return recs!.map((r) => (r ? { trips: r.values.avg_daily_trips, event: r.eventTs.getTime() } : null));
  };
  const segments = async (...ids: string[]) => {
    const [recs] = await online.store.read([{ view: viewOf(repo, 'customer_profile'), keys: ids, features: ['segment'] }]);
    return recs!.map((r) => r?.values.segment ?? null);
  };
  const watermark = (view = 'driver_stats') => getWatermark(sql, project, view);

  it('first run copies the ttl window as of end and records the watermark', async () => {
    // Driver 4 only has a row older than the 2h ttl: it is not online as of end1.
    await driverRow(4, new Date(end1.getTime() - minutes(150)), at, 40);
    expect(await watermark()).toBeNull();
    const results = await run(end1);
    const stats = results.find((r) => r.view === 'driver_stats');
    const customers = results.find((r) => r.view === 'customer_profile');
    expect(stats).toMatchObject({ view: 'driver_stats', rows: 3, written: 3 });
    expect(customers).toMatchObject({ view: 'customer_profile', rows: 2, written: 2 });
    expect(await trips(1, 2, 3, 4)).toEqual([
      { trips: 10, event: at.getTime() },
      { trips: 20, event: at.getTime() },
      { trips: 30, event: at.getTime() },
      null,
    ]);
    expect(await watermark()).toEqual(end1);
    expect(await watermark('customer_profile')).toEqual(end1);
  });

  it('picks up a late row (old event time, new created time) when it is the newest for its key, not when a newer row exists', async () => {
    await run(end1);
    const ingested = new Date();
    // Both event times are before the watermark; only driver 1's is newer than what is online.
    await driverRow(1, new Date(at.getTime() + minutes(5)), ingested, 111);
    await driverRow(2, new Date(at.getTime() - minutes(30)), ingested, 222);
    const end2 = new Date();
    const [stats] = await run(end2, { views: ['driver_stats'] });
    expect(stats!.rows).toBe(2);
    expect(await trips(1, 2, 3)).toEqual([
      { trips: 111, event: at.getTime() + minutes(5) },
      { trips: 20, event: at.getTime() },
      { trips: 30, event: at.getTime() },
    ]);
    expect((await watermark())!.getTime()).toBeGreaterThan(end1.getTime());
  });

  it('leaves a row with an event time after end for the run whose end covers it', async () => {
    // Ingested long before both runs, but dated after the first run's end.
    await driverRow(3, new Date(end1.getTime() + minutes(2)), at, 333);
    await run(end1);
    expect(await trips(3)).toEqual([{ trips: 30, event: at.getTime() }]);
    await run(new Date());
    expect(await trips(3)).toEqual([{ trips: 333, event: end1.getTime() + minutes(2) }]);
  });

  it('re-reads an overlap before the watermark: a row committed late with a created time just before it is not lost', async () => {
    await run(end1);
    // As from a transaction that started (and stamped now()) before the run, and committed after it.
    await driverRow(1, new Date(at.getTime() + minutes(1)), new Date(end1.getTime() - minutes(2)), 121);
    await run(new Date());
    expect(await trips(1)).toEqual([{ trips: 121, event: at.getTime() + minutes(1) }]);
  });

  it('an end in the future moves the watermark only to the database clock, so rows ingested after the run are not skipped', async () => {
    const future = new Date(now + minutes(60));
    await run(future);
    const wm = await watermark();
    expect(wm!.getTime()).toBeLessThan(Date.now() + 1000);
    expect(wm!.getTime()).toBeGreaterThanOrEqual(now - 1000);
    await driverRow(2, new Date(Date.now() - minutes(1)), new Date(), 202);
    await run(future);
    expect((await trips(2))[0]!.trips).toBe(202);
  });

  it('an end in the future is "up to now": a row dated ahead of the clock goes online only once its time has come', async () => {
    const batch = (end: Date) =>
      materializeViews({ sql, online: online.store, repo }, { start: new Date(0), end, views: ['driver_stats'] });
    const ahead = Date.now() + 1500;
    await driverRow(1, new Date(ahead), new Date(), 999);
    await batch(new Date(now + minutes(60)));
    // As of any time up to now driver 1's value is the 20-minute-old row: that is what is online.
    expect(await trips(1)).toEqual([{ trips: 10, event: at.getTime() }]);
    // A start in the future has nothing to copy yet: said so, not a window read backwards.
    await expect(
      materializeViews({ sql, online: online.store, repo }, { start: new Date(now + minutes(1)), end: new Date(now + minutes(60)) }),
    ).rejects.toThrow(/start \(.*\) is in the future: no row can be materialized from it yet/);
    while (Date.now() <= ahead) await new Promise((r) => setTimeout(r, 100));
    await batch(new Date(now + minutes(60)));
    expect(await trips(1)).toEqual([{ trips: 999, event: ahead }]);
  });

  it('without a created timestamp the window runs on event time: a row older than the watermark is not picked up', async () => {
    await run(end1);
    // C1: newer than what is online, but dated before watermark - overlap: the documented limitation.
    await sql.query(`INSERT INTO "${schema}".customer_profile VALUES ('C1', $1, 'platinum'), ('C2', $2, 'bronze')`, [
      new Date(end1.getTime() - minutes(10)),
      new Date(end1.getTime() + minutes(1)),
    ]);
    await run(new Date(), { views: ['customer_profile'] });
    expect(await segments('C1', 'C2')).toEqual(['gold', 'bronze']);
  });

  it('re-running is idempotent, and an end before the watermark changes nothing', async () => {
    await run(end1);
    const before = await trips(1, 2, 3);
    const again = await run(end1);
    expect(again.map((r) => r.written)).toEqual(repo.views.map(() => 0));
    expect(await trips(1, 2, 3)).toEqual(before);
    expect(await watermark()).toEqual(end1);
    const earlier = await run(new Date(end1.getTime() - minutes(10)));
    expect(earlier.map((r) => r.upToDate)).toEqual(repo.views.map(() => true));
    expect(await watermark()).toEqual(end1);
  });

  it('a run whose online store fails midway leaves the watermark where it was, and the next run catches up', async () => {
    await run(end1);
    for (let id = 1; id <= 3; id++) await driverRow(id, new Date(at.getTime() + minutes(id)), new Date(), 500 + id);
    const failing = failingOnWrite(online.store, 2);
    await expect(run(new Date(), { views: ['driver_stats'], batchSize: 1 }, failing)).rejects.toThrow('online store went away');
    expect(failing.writes()).toBe(2);
    expect(await watermark()).toEqual(end1);
    const [stats] = await run(new Date(), { views: ['driver_stats'] });
    expect(stats!.rows).toBe(3);
    expect((await trips(1, 2, 3)).map((r) => r?.trips)).toEqual([501, 502, 503]);
    expect((await watermark())!.getTime()).toBeGreaterThan(end1.getTime());
  });

  it('refuses unknown view names, listing the online views, and touches no watermark', async () => {
    const valid = repo.views.filter((v) => v.online).map((v) => v.name);
    expect(valid).toContain('customer_profile');
    await expect(run(end1, { views: ['driver_stats', 'nope'] })).rejects.toThrow(
      `unknown or offline-only view(s): nope; online views are: ${valid.join(', ')}`,
    );
    expect(await watermark()).toBeNull();
  });
});

import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { compareRows, MarkerAbsentError } from '../../src/online/store.js';
import { tieKey } from '../../src/online/tie-key.js';
import { REDIS_URL, uniqueProject } from '../support/env.js';
import { describeWith, requires } from '../support/services.js';
import { describeOnlineStoreSemantics } from './semantics.js';
import { edgeValues, row, semanticsViews } from './semantics-views.js';

const url = REDIS_URL ?? '';

if (requires('online store semantics: redis', 'REDIS_URL'))
  describeOnlineStoreSemantics('redis', async (project) => {
    const store = createRedisOnlineStore({ url, project });
    return {
      store,
      teardown: async () => {
        await store.deleteProjectKeys();
        await store.close();
      },
    };
  });

/** Count socket writes (each one a request the server answers before the next can use it): round trips. */
const countWrites = (client: Redis) => {
  const socket = client.stream as Socket;
  const original = socket.write.bind(socket);
  let writes = 0;
  socket.write = ((...args: Parameters<Socket['write']>) => {
    writes++;
    return original(...args);
  }) as Socket['write'];
  return {
    get writes() {
      return writes;
    },
    restore: () => void (socket.write = original),
  };
};

describeWith('REDIS_URL', 'redis online store: layout, expiry and round trips', () => {
  const project = uniqueProject('rs');
  const views = semanticsViews(project);
  let store: RedisOnlineStore;
  let raw: Redis;

  beforeAll(async () => {
    store = createRedisOnlineStore({ url, project });
    raw = new Redis(url, { protocol: 2 });
    await store.ping();
  });
  afterAll(async () => {
    await store.deleteProjectKeys();
    await store.close();
    await raw.quit();
  });

  it('keeps one hash per view and entity, hash-tagged on project and entity key, as documented', async () => {
    const t = Date.UTC(2030, 0, 1);
    await store.write(views.stats, [row('1001', t, { conv_rate: 0.5, trips: 7, note: 'hi' }, t - 10)]);
    const key = `fg:{${project}:1001}:stats`;
    expect(await raw.hgetall(key)).toEqual({
      _event_ts: String(t),
      _created_ts: String(t - 10),
      _tie: tieKey(views.stats, { conv_rate: 0.5, trips: 7, note: 'hi' }),
      conv_rate: '0.5',
      trips: '7',
      note: '"hi"',
    });
    await store.write(views.allTypes, [row('C1', t, edgeValues[2]!)]);
    const h = await raw.hgetall(`fg:{${project}:C1}:all_types`);
    expect(h.i64).toBe('"9007199254740993"');
    expect(h.b).toBe('null');
    expect(h._created_ts).toBeUndefined();
  });

  it('sets PEXPIREAT to event time + ttl (+ a minute of clock-skew grace) and none for ttl 0', async () => {
    const t = Date.now();
    await store.write(views.stats, [row('2001', t, { conv_rate: 0, trips: 1, note: null })]);
    expect(await raw.pexpiretime(`fg:{${project}:2001}:stats`)).toBe(t + 3600_000 + 60_000);
    await store.write(views.allTypes, [row('C2', t - 365 * 86_400_000, { i32: 1 })]);
    expect(await raw.pexpiretime(`fg:{${project}:C2}:all_types`)).toBe(-1);
    // A newer write moves the expiry with the event time.
    await store.write(views.stats, [row('2001', t + 5000, { conv_rate: 0, trips: 2, note: null })]);
    expect(await raw.pexpiretime(`fg:{${project}:2001}:stats`)).toBe(t + 5000 + 3600_000 + 60_000);
    // A row already past its ttl (+ grace) is gone physically, and reads as null.
    await store.write(views.stats, [row('2002', t - 2 * 3600_000, { conv_rate: 0, trips: 1, note: null })]);
    expect(await raw.exists(`fg:{${project}:2002}:stats`)).toBe(0);
    expect((await store.read([{ view: views.stats, keys: ['2002'], features: ['trips'] }]))[0]).toEqual([null]);
  });

  it('reads N entities x M views in one round trip, fetching only the selected features', async () => {
    const t = Date.now();
    const ids = Array.from({ length: 100 }, (_, i) => String(5000 + i));
    await store.write(
      views.stats,
      ids.map((k, i) => row(k, t, { conv_rate: 0.5, trips: i, note: 'n' })),
    );
    await store.write(
      views.allTypes,
      ids.map((k, i) => row(k, t, { i32: i, s: 'x' })),
    );
    const monitor = await raw.monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'hmget' && args[1]?.includes(project)) seen.push(args);
    });
    const counter = countWrites(store.client as Redis);
    const res = await store.read([
      { view: views.stats, keys: ids, features: ['trips'] },
      { view: views.allTypes, keys: ids, features: ['s', 'i32'] },
    ]);
    counter.restore();
    expect(counter.writes).toBe(1);
    expect(res[0]!.map((r) => r?.values.trips)).toEqual(ids.map((_, i) => i));
    expect(res[1]![3]?.values).toEqual({ i32: 3, s: 'x' });
    // MONITOR reports asynchronously: wait for the 200 commands (a busy machine can take a while), then a
    // little longer, so a 201st would be seen too.
    for (const until = Date.now() + 10_000; seen.length < 200 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    monitor.disconnect();
    expect(seen).toHaveLength(200);
    expect(seen[0]!.slice(2)).toEqual(['_event_ts', '_created_ts', 'trips']);
    expect(seen[199]!.slice(2)).toEqual(['_event_ts', '_created_ts', 'i32', 's']);
  });

  it('with requireMarker the read checks the marker in the same round trip, and throws MarkerAbsentError without it', async () => {
    const t = Date.now();
    await store.write(views.stats, [row('7007', t, { conv_rate: 0.25, trips: 7, note: 'm' })]);
    const req = [{ view: views.stats, keys: ['7007'], features: ['trips'] }];
    await raw.del(`fg:{${project}}:_marker`);
    let counter = countWrites(store.client as Redis);
    await expect(store.read(req, [], { requireMarker: true })).rejects.toBeInstanceOf(MarkerAbsentError);
    counter.restore();
    expect(counter.writes).toBe(1);
    await store.marker!.write();
    counter = countWrites(store.client as Redis);
    const res = await store.read(req, [], { requireMarker: true });
    counter.restore();
    expect(counter.writes).toBe(1);
    expect(res[0]![0]?.values.trips).toBe(7);
  });

  it('breaks full ties in the Lua script exactly as compareRows does, for any mix of characters', async () => {
    // 1-, 2-, 3- and 4-byte UTF-8 characters, including U+E000..U+FFFF against astral characters, where UTF-16 and code point order disagree.
    const pool = ['a', 'z', '~', '"', 'é', 'ߊ', '中', '\uE000', '\uFFFD', '😀', '𐀀', '\u{10FFFF}'];
    let seed = 7;
    const rand = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const str = () => Array.from({ length: rand(4) }, () => pool[rand(pool.length)]).join('');
    const t = Date.now();
    const pairs = Array.from({ length: 300 }, (_, i) => ({ key: `tie${i}`, a: str(), b: str() }));
    const rowOf = (key: string, note: string) => row(key, t, { conv_rate: 0, trips: 0, note }, t);
    await store.write(
      views.stats,
      pairs.map((p) => rowOf(p.key, p.a)),
    );
    await store.write(
      views.stats,
      pairs.map((p) => rowOf(p.key, p.b)),
    );
    const [res] = await store.read([{ view: views.stats, keys: pairs.map((p) => p.key), features: ['note'] }]);
    const tie = (note: string) => tieKey(views.stats, { conv_rate: 0, trips: 0, note });
    pairs.forEach((p, i) => {
      const want = compareRows({ ...rowOf(p.key, p.b), tie: tie(p.b) }, { ...rowOf(p.key, p.a), tie: tie(p.a) }) > 0 ? p.b : p.a;
      expect(res![i]?.values.note, `${JSON.stringify(p.a)} vs ${JSON.stringify(p.b)}`).toBe(want);
    });
  });

  it('writes a batch of rows in one pipeline, not one round trip per row', async () => {
    const counter = countWrites(store.client as Redis);
    const s = await store.write(
      views.stats,
      Array.from({ length: 500 }, (_, i) => row(String(9000 + i), Date.now(), { conv_rate: 1, trips: i, note: null })),
    );
    counter.restore();
    expect(s).toEqual({ written: 500, skipped: 0 });
    expect(counter.writes).toBe(1);
  });

  it('keeps the keys of other projects and prefixes apart', async () => {
    const other = createRedisOnlineStore({ url, project, keyPrefix: 'fgtest:' });
    try {
      await other.write(views.stats, [row('1001', Date.UTC(2031, 0, 1), { conv_rate: 0, trips: 99, note: null })]);
      const [[mine], [theirs]] = [
        (await store.read([{ view: views.stats, keys: ['1001'], features: ['trips'] }]))[0]!,
        (await other.read([{ view: views.stats, keys: ['1001'], features: ['trips'] }]))[0]!,
      ];
      expect(mine?.values.trips).toBe(7);
      expect(theirs?.values.trips).toBe(99);
      expect(await raw.exists(`fgtest:{${project}:1001}:stats`)).toBe(1);
    } finally {
      expect(await other.deleteProjectKeys()).toBe(1);
      await other.close();
    }
    expect(() => createRedisOnlineStore({ url, project, keyPrefix: 'bad{' })).toThrow(/may not contain/);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisOnlineStore, RedisStoreError, type RedisOnlineStore } from '../../src/online/redis.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-cluster.js';
import { uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';
import { row, semanticsViews } from './semantics-views.js';

const project = uniqueProject('rf');
const views = semanticsViews(project);

/** Time a call that must fail; returns the error and how long it took. */
const failure = async (fn: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> => {
  const start = performance.now();
  try {
    await fn();
  } catch (err) {
    return { err, ms: performance.now() - start };
  }
  throw new Error('expected the call to fail');
};

const eventually = async (fn: () => Promise<void>, timeoutMs = 10_000): Promise<number> => {
  const start = performance.now();
  for (;;) {
    try {
      await fn();
      return performance.now() - start;
    } catch (err) {
      if (performance.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
};

const expectUnavailable = (err: unknown, port: number) => {
  expect(err).toBeInstanceOf(RedisStoreError);
  expect((err as RedisStoreError).code).toBe('REDIS_UNAVAILABLE');
  expect((err as Error).message).toMatch(/Redis online store unreachable at redis:\/\/127\.0\.0\.1:\d+/);
  expect((err as Error).message).toContain(String(port));
};

describeWith('redis-server', 'redis online store when Redis goes away and comes back', () => {
  let server: RedisServerProcess;
  let store: RedisOnlineStore;
  const read = () => store.read([{ view: views.stats, keys: ['1', '2'], features: ['trips'] }]);

  beforeAll(async () => {
    server = await startRedisServer();
    store = createRedisOnlineStore({ url: server.url, project });
  });
  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  });

  it('serves while Redis is up', async () => {
    await store.ping();
    await store.write(views.stats, [row('1', Date.now(), { conv_rate: 0.5, trips: 1, note: null })]);
    expect((await read())[0]!.map((r) => r?.values.trips ?? null)).toEqual([1, null]);
  });

  it('fails read, write and ping fast, with an error naming Redis, while Redis is down', async () => {
    await server.kill();
    // The first call after the crash may be the one that notices it; it still must not hang.
    const first = await failure(read);
    expectUnavailable(first.err, server.port);
    expect(first.ms).toBeLessThan(3000);
    for (const call of [read, () => store.ping(), () => store.write(views.stats, [row('2', Date.now(), { trips: 2 })])]) {
      const { err, ms } = await failure(call);
      expectUnavailable(err, server.port);
      // Not queued for a reconnect (those are up to a second apart): well under that even on a loaded machine.
      expect(ms).toBeLessThan(500);
    }
  });

  it('fails fast when created while Redis is down', async () => {
    const late = createRedisOnlineStore({ url: server.url, project });
    try {
      const { err, ms } = await failure(() => late.ping());
      expectUnavailable(err, server.port);
      expect(ms).toBeLessThan(3000);
    } finally {
      await late.close();
    }
  });

  it('serves again by itself once Redis is back on the same port', async () => {
    await server.restart();
    // Reconnects are at most a second apart.
    const ms = await eventually(() => store.ping());
    expect(ms).toBeLessThan(3000);
    // The restarted server kept nothing (no persistence), so the key reads as null until written again.
    expect((await read())[0]!.map((r) => r?.values.trips ?? null)).toEqual([null, null]);
    expect(await store.write(views.stats, [row('2', Date.now(), { conv_rate: 0, trips: 2, note: null })])).toEqual({
      written: 1,
      skipped: 0,
    });
    expect((await read())[0]!.map((r) => r?.values.trips ?? null)).toEqual([null, 2]);
  });
});

describeWith('redis-server', 'redis online store when Redis hangs', () => {
  it('fails a request after the command timeout instead of waiting forever, then serves again', async () => {
    const server = await startRedisServer();
    const store = createRedisOnlineStore({ url: server.url, project, commandTimeoutMs: 300 });
    try {
      await store.ping();
      server.signal('SIGSTOP');
      const { err, ms } = await failure(() => store.read([{ view: views.stats, keys: ['1'], features: ['trips'] }]));
      expectUnavailable(err, server.port);
      expect((err as Error).message).toMatch(/timed out/i);
      expect(ms).toBeLessThan(2000);
      server.signal('SIGCONT');
      await eventually(() => store.ping());
    } finally {
      await store.close();
      await server.destroy();
    }
  });
});

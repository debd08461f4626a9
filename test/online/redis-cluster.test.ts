import type { Socket } from 'node:net';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { startRedisCluster, type RedisClusterProcess } from '../support/redis-cluster.js';
import { uniqueProject } from '../support/env.js';
import { available, describeWith, requires } from '../support/services.js';
import { describeOnlineStoreSemantics } from './semantics.js';
import { row, semanticsViews } from './semantics-views.js';

let cluster: RedisClusterProcess;
beforeAll(async () => {
  if (available('redis-server')) cluster = await startRedisCluster(3);
});
afterAll(async () => {
  await cluster?.destroy();
});

if (requires('online store semantics: redis cluster', 'redis-server'))
  describeOnlineStoreSemantics('redis cluster', async (project) => {
    const store = createRedisOnlineStore({ clusterNodes: cluster.nodes, project });
    return {
      store,
      teardown: async () => {
        await store.deleteProjectKeys();
        await store.close();
      },
    };
  });

/** Wrap each master connection's socket to count writes: one write is one pipelined round trip to that node. */
const countWritesPerNode = (masters: readonly Redis[]) => {
  const counts = new Map<string, number>();
  const restores = masters.map((node) => {
    const name = `${node.options.host}:${node.options.port}`;
    const socket = node.stream as Socket;
    const original = socket.write.bind(socket);
    socket.write = ((...args: Parameters<Socket['write']>) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return original(...args);
    }) as Socket['write'];
    return () => void (socket.write = original);
  });
  return { counts, restore: () => restores.forEach((r) => r()) };
};

describeWith('redis-server', 'redis cluster online store: slots and round trips', () => {
  const project = uniqueProject('rc');
  const views = semanticsViews(project);
  let store: RedisOnlineStore;

  beforeAll(async () => {
    store = createRedisOnlineStore({ clusterNodes: cluster.nodes, project });
    await store.ping();
  });
  afterAll(async () => {
    await store?.deleteProjectKeys();
    await store?.close();
  });

  it('puts every view of one entity in one slot', async () => {
    const client = store.client as Cluster;
    const slots = await Promise.all(['stats', 'all_types', 'pair'].map((v) => client.cluster('KEYSLOT', `fg:{${project}:1001}:${v}`)));
    expect(new Set(slots).size).toBe(1);
    expect(await client.cluster('KEYSLOT', `fg:{${project}:1002}:stats`)).not.toBe(slots[0]);
  });

  it('reads 1,000 entities x 2 views across many slots in one pipeline per node', async () => {
    const t = Date.now();
    const ids = Array.from({ length: 1000 }, (_, i) => String(100_000 + i));
    await store.write(
      views.stats,
      ids.map((k, i) => row(k, t, { conv_rate: 0.5, trips: i, note: `n${i}` })),
    );
    await store.write(
      views.allTypes,
      ids.map((k, i) => row(k, t, { i64: BigInt(i) * 10n ** 15n })),
    );

    const client = store.client as Cluster;
    const masters = client.nodes('master');
    expect(masters).toHaveLength(3);
    const keySlots = await masters[0]!.pipeline(ids.map((k) => ['cluster', 'keyslot', `fg:{${project}:${k}}:stats`])).exec();
    expect(new Set(keySlots!.map(([, s]) => s)).size).toBeGreaterThan(900);

    const counter = countWritesPerNode(masters);
    const res = await store.read([
      { view: views.stats, keys: ids, features: ['trips', 'note'] },
      { view: views.allTypes, keys: ids, features: ['i64'] },
    ]);
    counter.restore();

    expect([...counter.counts.values()]).toEqual([1, 1, 1]);
    expect(res[0]!.map((r) => r?.values.trips)).toEqual(ids.map((_, i) => i));
    expect(res[1]!.map((r) => r?.values.i64)).toEqual(ids.map((_, i) => BigInt(i) * 10n ** 15n));
  });

  it('writes a batch across slots in one pipeline per node', async () => {
    const client = store.client as Cluster;
    const counter = countWritesPerNode(client.nodes('master'));
    const s = await store.write(
      views.stats,
      Array.from({ length: 600 }, (_, i) => row(String(200_000 + i), Date.now(), { conv_rate: 1, trips: i, note: null })),
    );
    counter.restore();
    expect(s).toEqual({ written: 600, skipped: 0 });
    expect([...counter.counts.values()]).toEqual([1, 1, 1]);
  });
});

// Runs last in this file: it takes one master down.
describeWith('redis-server', 'redis cluster online store when a master goes away and comes back', () => {
  const project = uniqueProject('rcf');
  const views = semanticsViews(project);
  const ids = Array.from({ length: 60 }, (_, i) => String(i));
  let store: RedisOnlineStore;
  const read = () => store.read([{ view: views.stats, keys: ids, features: ['trips'] }]);

  beforeAll(async () => {
    store = createRedisOnlineStore({ clusterNodes: cluster.nodes, project });
    await store.write(
      views.stats,
      ids.map((k, i) => row(k, Date.now(), { conv_rate: 0, trips: i, note: null })),
    );
  });
  afterAll(async () => {
    await store?.deleteProjectKeys().catch(() => 0);
    await store?.close();
  });

  it('fails reads fast while a master is down and serves again by itself when it returns', async () => {
    const victim = cluster.servers[1]!;
    await victim.kill();
    const start = performance.now();
    await expect(read()).rejects.toMatchObject({
      code: 'REDIS_UNAVAILABLE',
      message: expect.stringMatching(/^Redis online store unreachable at cluster 127\.0\.0\.1:\d+/),
    });
    expect(performance.now() - start).toBeLessThan(5000);

    // Same port and directory: the node rejoins with its node id and slots (its data is gone: no persistence).
    await victim.restart();
    const deadline = Date.now() + 30_000;
    let res: Awaited<ReturnType<typeof read>> | null = null;
    while (!res) {
      res = await read().catch((err: unknown) => {
        if (Date.now() > deadline) throw err;
        return new Promise<null>((r) => setTimeout(() => r(null), 200));
      });
    }
    const served = res[0]!.filter((r) => r !== null).length;
    // The keys on the two surviving masters are still there; those of the restarted one are empty.
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(ids.length);
    await store.write(
      views.stats,
      ids.map((k) => row(k, Date.now() + 1000, { conv_rate: 0, trips: -1, note: null })),
    );
    expect((await read())[0]!.every((r) => r?.values.trips === -1)).toBe(true);
  });
});

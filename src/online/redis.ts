/**
 * The Redis online store (standalone or Redis Cluster), over ioredis.
 *
 * Key layout — one hash per (project, view, entity key):
 *
 *     <prefix>{<project>:<entity key>}:<view>        e.g.  fg:{demo:1001}:driver_stats
 *                                                           fg:{demo:1001|C1001}:driver_customer_trips
 *
 * The prefix defaults to `fg:`. The entity key is `encodeEntityKey` of the join key values (`|` between the
 * parts of a composite key). The braces are a Redis Cluster hash tag: every view of one entity lives in
 * one slot, so a read of several views of an entity goes to one node.
 *
 * Hash fields:
 *
 *     _event_ts     event time, epoch milliseconds, decimal
 *     _created_ts   created (ingestion) time, epoch milliseconds; absent when the row has none
 *     _tie          the row's tie key (tie-key.ts, hex): only compared on write, to break (event, created)
 *                   ties exactly as the offline order does (docs/writes.md)
 *     <feature>     one field per feature: its value as JSON in codec form — numbers as numbers,
 *                   Int64 as a decimal string ("9007199254740993"), Bytes as base64, Timestamp as epoch ms,
 *                   lists as arrays, Json as itself, null as `null`
 *
 * Every row a write makes the value is also published on `<prefix>{<project>}:changed:<view>` by the same
 * script call (redis-changes.ts), so subscriptions in any process see pushes and materializations
 * (docs/subscriptions.md). With no subscriber a PUBLISH costs Redis next to nothing.
 *
 * Reads HMGET only `_event_ts`, `_created_ts` and the selected features, many keys per call of a read-only
 * script (redis-read-script.ts; keys of one slot per call in a cluster). Writes go through a Lua script
 * (redis-script.ts; up to 50 rows per call on standalone Redis, one in a cluster): write-if-newer by
 * (event, created, tie key), atomic per row. Each written key gets
 * PEXPIREAT event_ts + ttl (plus a minute for clock skew) so dead entities leave memory; a ttl of 0 means
 * no expiry. TTL on read is applied by callers (`liveRecord`), not here.
 *
 * Inspect a value with redis-cli:
 *
 *     redis-cli HGETALL 'fg:{demo:1001}:driver_stats'
 *     redis-cli HMGET 'fg:{demo:1001}:driver_stats' _event_ts conv_rate
 *     redis-cli PEXPIRETIME 'fg:{demo:1001}:driver_stats'     # epoch ms when Redis drops it, -1 = never
 *     redis-cli --scan --pattern 'fg:{demo:*'                  # every key of project demo
 *     redis-cli -c -p 7000 HGETALL 'fg:{demo:1001}:driver_stats'   # in a cluster (-c follows MOVED)
 */
import type { Cluster, Redis } from 'ioredis';
import type { ViewSpec } from '../definitions/resolve.js';
import { connectRedis, isCluster, type RedisConnectionOptions } from './redis-connection.js';
import { checkKeyPrefix, DEFAULT_KEY_PREFIX, decodeRecord, encodeField, projectKeyPattern, readFields, redisKey } from './redis-layout.js';
import { runGrouped, type KeyedCommand } from './redis-pipeline.js';
import { defineWriteCommand } from './redis-script.js';
import { changeChannel, createRedisChangeFeed } from './redis-changes.js';
import { defineReadCommand, readArgs, type ReadItem } from './redis-read-script.js';
import { groupBySlot } from './redis-pipeline.js';
import {
  greatestPerKey,
  MarkerAbsentError,
  type AggregationReadRequest,
  type OnlineReadOptions,
  type OnlineReadRequest,
  type OnlineRecord,
  type OnlineRow,
  type OnlineStore,
  type WriteSummary,
} from './store.js';
import type { AggregationSpec } from '../definitions/aggregation-spec.js';
import { defineWriteEventsCommand } from './aggregation/redis-scripts.js';
import { planAggregationRead, type AggregationKeys } from './aggregation/redis-read.js';
import { aggregationLayoutTag, DAY_MS, tileLevels } from './aggregation/tiles.js';
import { AGGREGATION_GRACE_MS, encodeEvent, eventCutoff } from './aggregation/events.js';

export { RedisStoreError } from './redis-connection.js';

export interface RedisOnlineStoreOptions extends RedisConnectionOptions {
  readonly project: string;
  /** Prepended to every key; must not contain braces. Default `fg:`. */
  readonly keyPrefix?: string;
  /** Publish each written row for subscriptions (docs/subscriptions.md). @default true */
  readonly publishChanges?: boolean;
}

export interface RedisOnlineStore extends OnlineStore {
  readonly kind: 'redis';
  /** The ioredis client (for diagnostics and tests). */
  readonly client: Redis | Cluster;
  /** Delete every key of this project (on every master of a cluster); returns how many. */
  deleteProjectKeys(): Promise<number>;
}

/** Rows per write pipeline: big enough to amortise the round trip, small enough to keep buffers modest. */
const WRITE_BATCH = 1000;
/** Rows per script call on standalone Redis: amortises the call, keeps each call well under a millisecond. */
const ROWS_PER_SCRIPT_CALL = 50;
/** Keys per read script call: large enough to amortise the call, small enough not to hold Redis long. */
const READ_KEYS_PER_CALL = 500;
/** Keys outlive event_ts + ttl by this much, so a Redis clock ahead of ours never drops a live value. */
const EXPIRY_GRACE_MS = 60_000;

export const createRedisOnlineStore = (opts: RedisOnlineStoreOptions): RedisOnlineStore => {
  const prefix = opts.keyPrefix ?? DEFAULT_KEY_PREFIX;
  checkKeyPrefix(prefix);
  const conn = connectRedis(opts);
  const { client } = conn;
  defineWriteCommand(client);
  defineReadCommand(client);
  defineWriteEventsCommand(client);
  const aggKeys = (key: string, spec: AggregationSpec): AggregationKeys => {
    const base = redisKey(prefix, opts.project, key, `${spec.name}:${aggregationLayoutTag(spec)}`);
    return { events: `${base}:e`, values: `${base}:v`, day: (d) => `${base}:t:${d}` };
  };
  const keyOf = (key: string, view: string) => redisKey(prefix, opts.project, key, view);
  const markerKey = `${prefix}{${opts.project}}:_marker`;
  const healLockKey = `${prefix}{${opts.project}}:_healing`;
  const publish = opts.publishChanges !== false;
  const changes = createRedisChangeFeed(client, prefix, opts.project);

  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    conn.assertUp();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof MarkerAbsentError) throw err;
      throw conn.wrap(err);
    }
  };

  return {
    kind: 'redis',
    client,
    description: `Redis online store (${conn.where}, prefix ${prefix}{${opts.project}:…})`,

    async prepare() {
      // Redis needs no schema; the write script is sent with the first write on each connection.
    },

    write: (view, rows) =>
      guarded(async (): Promise<WriteSummary> => {
        const best = greatestPerKey(view, rows);
        const channel = publish ? changeChannel(prefix, opts.project, view.name) : '';
        const chunks: Promise<unknown[]>[] = [];
        // A cluster routes a script by its keys' slot, so there each call carries one row.
        const perCall = isCluster(client) ? 1 : ROWS_PER_SCRIPT_CALL;
        // Every chunk is sent at once (they queue on the connection): Redis never idles waiting for the
        // next chunk, which roughly halves the time of a large write (bench:materialize).
        for (let i = 0; i < best.length; i += WRITE_BATCH) {
          const commands: KeyedCommand[] = [];
          for (let j = i; j < Math.min(i + WRITE_BATCH, best.length); j += perCall) {
            const group = best.slice(j, Math.min(j + perCall, i + WRITE_BATCH, best.length));
            const keys = group.map(({ row }) => keyOf(row.key, view.name));
            const args = group.flatMap(({ row, tie }) => writeArgs(view, row, tie));
            commands.push({ key: keys[0]!, add: (p) => p.fgWriteIfNewer(keys.length, ...keys, channel, ...args) });
          }
          chunks.push(runGrouped(client, commands));
        }
        let written = 0;
        for (const replies of await Promise.all(chunks)) for (const r of replies) written += Number(r);
        return { written, skipped: rows.length - written };
      }),

    writeEvents: (spec: AggregationSpec, rows: readonly OnlineRow[], now = Date.now()) =>
      guarded(async (): Promise<WriteSummary> => {
        const levels = tileLevels(spec);
        const header = [String(levels.length), ...levels.map(String), String(spec.statFields.length)];
        const cutoff = eventCutoff(spec, now);
        const keep = spec.maxWindowSeconds * 1000 + AGGREGATION_GRACE_MS;
        const perCall = isCluster(client) ? 1 : ROWS_PER_SCRIPT_CALL;
        const commands: KeyedCommand[] = [];
        for (let i = 0; i < rows.length; i += perCall) {
          const keys: string[] = [];
          const args = [...header];
          for (const row of rows.slice(i, i + perCall)) {
            const e = encodeEvent(spec, row);
            const k = aggKeys(e.key, spec);
            const day = Math.floor(e.ts / DAY_MS);
            keys.push(k.events, k.values, k.day(day));
            args.push(
              e.id,
              String(e.ts),
              e.cr === null ? '' : String(e.cr),
              e.tie,
              e.json,
              String(cutoff),
              String(e.ts + keep),
              String((day + 1) * DAY_MS + keep),
              ...e.stats,
            );
          }
          commands.push({ key: keys[0]!, add: (p) => p.fgWriteEvents(keys.length, ...keys, ...args) });
        }
        let written = 0;
        for (let i = 0; i < commands.length; i += WRITE_BATCH / ROWS_PER_SCRIPT_CALL)
          for (const r of await runGrouped(client, commands.slice(i, i + WRITE_BATCH / ROWS_PER_SCRIPT_CALL))) written += Number(r);
        return { written, skipped: rows.length - written };
      }),

    read: (requests: readonly OnlineReadRequest[], aggregations: readonly AggregationReadRequest[] = [], options?: OnlineReadOptions) =>
      guarded(async () => {
        // With requireMarker each script call first checks the marker (one EXISTS in the same call). In a
        // cluster the marker lives in another slot than the data, so there a reconnect during the read (a
        // request replayed on the new connection) is followed by an EXISTS of its own instead.
        const inScript = options?.requireMarker === true && !isCluster(client);
        const before = options?.requireMarker && !inScript ? conn.readyCount() : undefined;
        const plans = requests.map((req) => ({ req, ...readFields(req.view, req.features) }));
        const items: ReadItem[] = [];
        for (const { req, fields } of plans) for (const k of req.keys) items.push({ key: keyOf(k, req.view.name), fields });
        // An aggregation read is one item: one entity's tiles and edge events (docs/aggregations.md).
        const aggPlans = aggregations.map((a) =>
          a.keys.map((k) => {
            const plan = planAggregationRead(a.spec, aggKeys(k, a.spec), a.at);
            items.push({ key: plan.keys[0]!, agg: plan });
            return plan;
          }),
        );
        // Items go to Redis in script calls of keys that share a slot (all of them on standalone Redis),
        // at most READ_KEYS_PER_CALL each, all calls in one pipeline (one per node): one round trip.
        const groups = isCluster(client) ? groupBySlot(items) : [items.map((_, i) => i)];
        const commands: KeyedCommand[] = [];
        const order: number[] = [];
        for (const g of groups)
          for (let i = 0; i < g.length; i += READ_KEYS_PER_CALL) {
            const part = g.slice(i, i + READ_KEYS_PER_CALL);
            const chunk = part.map((j) => items[j]!);
            const args = readArgs(chunk, inScript ? markerKey : undefined);
            const nkeys = chunk.reduce((c, it) => c + ('agg' in it ? it.agg.keys.length : 1), inScript ? 1 : 0);
            order.push(...part);
            commands.push({ key: chunk[0]!.key, add: (p) => p.fgReadMany(nkeys, ...args) });
          }
        const replies = (await runGrouped(client, commands)) as (unknown[] | 0)[];
        if (replies.some((r) => r === 0)) throw new MarkerAbsentError();
        if (before !== undefined && conn.readyCount() !== before && (await client.exists(markerKey)) === 0) throw new MarkerAbsentError();
        const byItem: unknown[] = new Array<unknown>(items.length);
        let n = 0;
        for (const r of replies as unknown[][]) for (const one of r) byItem[order[n++]!] = one;
        n = 0;
        const views = plans.map(({ req, features }) =>
          req.keys.map((): OnlineRecord | null => decodeRecord(features, byItem[n++] as (string | null)[])),
        );
        const aggs = aggregations.map((a, i) =>
          aggPlans[i]!.map((plan): OnlineRecord => ({ eventTs: new Date(a.at), createdTs: null, values: plan.finish(byItem[n++]) })),
        );
        return [...views, ...aggs];
      }),

    ping: () =>
      guarded(async () => {
        await client.ping();
      }),

    // `<prefix>{<project>}:_marker`: its own hash tag, so it lives on one node of a cluster too.
    marker: {
      write: () => guarded(async () => void (await client.set(markerKey, new Date().toISOString()))),
      present: () => guarded(async () => (await client.exists(markerKey)) === 1),
      connection: () => conn.readyCount(),
      lock: (owner, ttlMs) => guarded(async () => (await client.set(healLockKey, owner, 'PX', ttlMs, 'NX')) === 'OK'),
      unlock: (owner) =>
        guarded(async () => {
          await client.eval(
            `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
            1,
            healLockKey,
            owner,
          );
        }),
    },

    deleteProjectKeys: () =>
      guarded(async () => {
        const nodes = isCluster(client) ? client.nodes('master') : [client];
        let deleted = 0;
        for (const node of nodes) {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', projectKeyPattern(prefix, opts.project), 'COUNT', 1000);
            cursor = next;
            // One key per UNLINK: in a cluster the keys of one batch span slots.
            if (keys.length > 0) {
              const res = await node.pipeline(keys.map((k) => ['unlink', k])).exec();
              deleted += res?.filter(([err, v]) => !err && v === 1).length ?? 0;
            }
          } while (cursor !== '0');
        }
        await client.unlink(markerKey, healLockKey).catch(() => undefined);
        return deleted;
      }),

    changes,

    close: async () => {
      await changes.close();
      await conn.close();
    },
  };
};

/** Script arguments of one row (see WRITE_IF_NEWER_LUA): its feature argument count first. */
const writeArgs = (view: ViewSpec, row: OnlineRow, tie: string): string[] => {
  const event = row.eventTs.getTime();
  const args = [
    String(view.features.length * 2),
    String(event),
    row.createdTs ? String(row.createdTs.getTime()) : '',
    tie,
    view.ttlSeconds > 0 ? String(event + view.ttlSeconds * 1000 + EXPIRY_GRACE_MS) : '',
  ];
  for (const f of view.features) args.push(f.name, encodeField(f, row.values[f.name]));
  return args;
};

import type { Cluster, Redis } from 'ioredis';
import type { ViewSpec } from '../definitions/resolve.js';
import { endAll, type ChangeFeed, type ChangeListener, type OnlineChange } from './changes.js';
import { isCluster } from './redis-connection.js';
import { decodeField } from './redis-layout.js';

/**
 * The pub/sub channel of a view's changes: `<prefix>{<project>}:changed:<view>`. The write script publishes
 * on it in the same atomic step as the write (redis-script.ts), so per key the messages come in value order.
 */
export const changeChannel = (prefix: string, project: string, view: string): string => `${prefix}{${project}}:changed:${view}`;

interface Channel {
  readonly view: ViewSpec;
  readonly listeners: Set<ChangeListener>;
  ready: Promise<unknown>;
}

/**
 * Changes of a Redis online store, for this process: one subscriber connection (a duplicate of the store's
 * client, opened on the first `listen`), one SUBSCRIBE per view with listeners, fanned out in-process. A
 * message is `[hash key, event ms, created ms or '', feature, value, …]` (redis-script.ts). Changes written
 * while the subscriber connection is down are not replayed (docs/subscriptions.md).
 */
export const createRedisChangeFeed = (client: Redis | Cluster, prefix: string, project: string): ChangeFeed => {
  const channels = new Map<string, Channel>();
  const ends = new Map<ChangeListener, (() => void) | undefined>();
  let sub: Redis | Cluster | null = null;
  const keyHead = `${prefix}{${project}:`;

  const decode = (ch: Channel, message: string): OnlineChange | null => {
    const m = JSON.parse(message) as string[];
    const [hashKey, ev, cr] = m;
    const tail = `}:${ch.view.name}`;
    if (!hashKey?.startsWith(keyHead) || !hashKey.endsWith(tail)) return null;
    const values: Record<string, ReturnType<typeof decodeField>> = {};
    const byName = new Map(ch.view.features.map((f) => [f.name, f]));
    for (let i = 3; i + 1 < m.length; i += 2) {
      const f = byName.get(m[i]!);
      if (f) values[f.name] = decodeField(f, m[i + 1]);
    }
    for (const f of ch.view.features) if (!(f.name in values)) values[f.name] = null;
    return {
      view: ch.view.name,
      key: hashKey.slice(keyHead.length, hashKey.length - tail.length),
      record: { eventTs: new Date(Number(ev)), createdTs: cr ? new Date(Number(cr)) : null, values },
    };
  };

  const connect = (): Redis | Cluster => {
    const s: Redis | Cluster = isCluster(client) ? client.duplicate() : client.duplicate();
    // Errors surface as failed SUBSCRIBEs; ioredis reconnects and re-subscribes by itself.
    s.on('error', () => undefined);
    s.on('message', (channel: string, message: string) => {
      const ch = channels.get(channel);
      if (!ch) return;
      let change: OnlineChange | null;
      try {
        change = decode(ch, message);
      } catch {
        return; // not ours
      }
      if (change) for (const l of ch.listeners) l(change);
    });
    return s;
  };

  return {
    async listen(view, listener, ended) {
      sub ??= connect();
      const s = sub;
      const name = changeChannel(prefix, project, view.name);
      let ch = channels.get(name);
      if (!ch) {
        ch = { view, listeners: new Set(), ready: s.subscribe(name) };
        channels.set(name, ch);
      }
      ch.listeners.add(listener);
      ends.set(listener, ended);
      const entry = ch;
      const stop = () => {
        ends.delete(listener);
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0 && channels.get(name) === entry) {
          channels.delete(name);
          void s.unsubscribe(name).catch(() => undefined);
        }
      };
      try {
        await entry.ready;
      } catch (err) {
        stop();
        throw err;
      }
      return stop;
    },
    async close() {
      channels.clear();
      endAll(ends);
      const s = sub;
      sub = null;
      if (!s) return;
      try {
        await s.quit();
      } catch {
        s.disconnect();
      }
    },
  };
};

import { createRequire } from 'node:module';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { isCluster } from './redis-connection.js';

// ioredis's own slot function, resolved from ioredis itself, so our grouping is exactly its routing.
const require = createRequire(import.meta.url);
const calculateSlot = createRequire(require.resolve('ioredis'))('cluster-key-slot') as (key: string) => number;

/** One single-key command: `add` appends it to a pipeline for `key`. */
export interface KeyedCommand {
  readonly key: string;
  readonly add: (pipeline: ChainableCommander, key: string) => unknown;
}

/**
 * Run commands in one pipeline — one network round trip. A Cluster pipeline must target one node
 * (ioredis rejects one whose keys span nodes: "All keys in the pipeline should belong to the same slots
 * allocation group"), so there the commands are grouped by the node serving their slot and the
 * per-node pipelines are sent together: one round trip to each node involved, in parallel.
 * Replies come back in command order; any failed command fails the call.
 */
export const runGrouped = async (client: Redis | Cluster, commands: readonly KeyedCommand[]): Promise<unknown[]> => {
  if (commands.length === 0) return [];
  if (!isCluster(client)) {
    // One command needs no pipeline object: sent as is, it is the same single round trip for less client work.
    if (commands.length === 1) {
      const only = commands[0]!;
      return [await (only.add(client as unknown as ChainableCommander, only.key) as Promise<unknown>)];
    }
    return execPipeline(
      client,
      commands,
      commands.map((_, i) => i),
      [],
    );
  }
  if (client.slots.length === 0)
    await new Promise<void>((resolve, reject) => client.delayUntilReady((err) => (err ? reject(err) : resolve())));
  const groups = new Map<string, number[]>();
  commands.forEach((c, i) => {
    const slot = calculateSlot(c.key);
    // Same grouping key as ioredis (`_groupsIds`): the node list serving the slot.
    const id = client.slots[slot]?.join(';') ?? `slot:${slot}`;
    const g = groups.get(id);
    if (g) g.push(i);
    else groups.set(id, [i]);
  });
  const out: unknown[] = new Array<unknown>(commands.length);
  await Promise.all([...groups.values()].map((idx) => execPipeline(client, commands, idx, out)));
  return out;
};

/** Indexes of keys grouped by cluster slot (keys of one slot may share a script call). */
export const groupBySlot = (items: readonly { readonly key: string }[]): number[][] => {
  const groups = new Map<number, number[]>();
  items.forEach((it, i) => {
    const slot = calculateSlot(it.key);
    const g = groups.get(slot);
    if (g) g.push(i);
    else groups.set(slot, [i]);
  });
  return [...groups.values()];
};

const execPipeline = async (
  client: Redis | Cluster,
  commands: readonly KeyedCommand[],
  idx: readonly number[],
  out: unknown[],
): Promise<unknown[]> => {
  const p = client.pipeline();
  for (const i of idx) {
    const c = commands[i]!;
    c.add(p, c.key);
  }
  const res = await p.exec();
  if (!res) throw new Error('pipeline was discarded');
  res.forEach(([err, value], j) => {
    if (err) {
      // A pipeline whose commands get different redirections is not retried by ioredis; refresh the
      // slot map so that the next call goes to the right nodes.
      if (isCluster(client) && /^(MOVED|ASK) /.test(err.message)) client.refreshSlotsCache();
      throw err;
    }
    out[idx[j]!] = value;
  });
  return out;
};

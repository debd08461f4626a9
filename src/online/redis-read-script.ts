import type { Cluster, Redis, Result } from 'ioredis';

/**
 * Many HMGETs in one script call. KEYS: the hashes. ARGV: runs of keys that read the same fields, each
 * as (number of keys, number of fields, fields…). Returns one HMGET reply per key, in order. Aggregation
 * reads ride the same call (docs/aggregations.md): a run starting with `A` reads one entity's tiles and
 * edge events and returns one reply for it, in its place.
 *
 * Why a script: ioredis costs the Node process several microseconds per command, so a 100-entity ×
 * 2-view request spent most of its CPU on 200 pipelined HMGETs; one call per slot group does the same
 * reads for a third of the CPU, and still one round trip. It only reads. Led by `M` (ARGV) and the marker
 * key (KEYS), it first checks that the marker exists and returns 0 instead of the replies when it does not.
 */
export const READ_LUA = `
local out = {}
local a, k = 1, 1
if ARGV[1] == 'M' then
  -- KEYS[1] is the project's marker (self-heal.ts): gone, the store lost its data and the read answers 0
  -- instead of nulls; checked in the same call, so a read replayed on a new connection checks it there.
  if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  a, k = 2, 2
end
while a <= #ARGV do
  if ARGV[a] == 'A' then
    -- one aggregation read (src/online/aggregation/redis-read.ts): KEYS :e, :v, then the day keys of its tiles
    local zkey, vkey = KEYS[k], KEYS[k + 1]
    -- ARGV: the day count, per day its tile fields as one comma-separated argument, then the edge ranges'
    -- bounds as one argument (from,to,from,to…): a few arguments instead of one per tile.
    local nd = tonumber(ARGV[a + 1])
    a = a + 2
    local days = {}
    for d = 1, nd do
      local fields = {}
      for f in string.gmatch(ARGV[a], '[^,]+') do fields[#fields + 1] = f end
      days[d] = redis.call('HMGET', KEYS[k + 1 + d], unpack(fields))
      a = a + 1
    end
    local bounds = {}
    for x in string.gmatch(ARGV[a], '[^,]+') do bounds[#bounds + 1] = x end
    a = a + 1
    local ranges = {}
    for i = 1, #bounds, 2 do
      local ids = redis.call('ZRANGEBYSCORE', zkey, bounds[i], '(' .. bounds[i + 1])
      if #ids > 0 then ranges[#ranges + 1] = redis.call('HMGET', vkey, unpack(ids)) else ranges[#ranges + 1] = {} end
    end
    out[#out + 1] = { days, ranges }
    k = k + 2 + nd
  else
    local nkeys, nf = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
    local fields = { unpack(ARGV, a + 2, a + 1 + nf) }
    for _ = 1, nkeys do
      out[#out + 1] = redis.call('HMGET', KEYS[k], unpack(fields))
      k = k + 1
    end
    a = a + 2 + nf
  end
end
return out
`;

export const READ_COMMAND = 'fgReadMany';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See READ_LUA: the number of keys, the keys, then the (keys, fields, …fields) runs; 0 when the marker checked is gone. */
    fgReadMany(numKeys: number, ...keysAndArgs: string[]): Result<(string | null)[][] | 0, Context>;
  }
}

export const defineReadCommand = (client: Redis | Cluster): void => client.defineCommand(READ_COMMAND, { lua: READ_LUA });

/** One key to read and the fields to read from it, or one aggregation read (its keys and arguments). */
export type ReadItem =
  | { readonly key: string; readonly fields: readonly string[] }
  | { readonly key: string; readonly agg: { readonly keys: readonly string[]; readonly argv: readonly string[] } };

/**
 * Script arguments for items (consecutive items with the same field list share one run); with `marker`,
 * the call first checks that key exists (see READ_LUA).
 */
export const readArgs = (items: readonly ReadItem[], marker?: string): string[] => {
  const keys: string[] = marker === undefined ? [] : [marker];
  const argv: string[] = marker === undefined ? [] : ['M'];
  let i = 0;
  while (i < items.length) {
    const item = items[i]!;
    if ('agg' in item) {
      keys.push(...item.agg.keys);
      argv.push('A', ...item.agg.argv);
      i++;
      continue;
    }
    const fields = item.fields;
    let j = i;
    while (j < items.length) {
      const next = items[j]!;
      if ('agg' in next || next.fields !== fields) break;
      keys.push(next.key);
      j++;
    }
    argv.push(String(j - i), String(fields.length), ...fields);
    i = j;
  }
  return [...keys, ...argv];
};

import type { Cluster, Redis, Result } from 'ioredis';
import { CMP_BYTES_LUA } from './redis-script.js';

/**
 * Many HMGETs in one script call. KEYS: the hashes. ARGV: runs of keys that read the same fields, each
 * as (number of keys, number of fields, fields…). Returns one HMGET reply per key, in order. Aggregation
 * reads ride the same call (docs/aggregations.md): a run starting with `A` reads one entity's tiles, merges
 * them per window, reads its edge events and returns one reply for it, in its place.
 *
 * Why a script: ioredis costs the Node process several microseconds per command, so a 100-entity ×
 * 2-view request spent most of its CPU on 200 pipelined HMGETs; one call per slot group does the same
 * reads for a third of the CPU, and still one round trip. It only reads.
 */
export const READ_LUA = `${CMP_BYTES_LUA}
local function split(s, n)
  local out, at = {}, 1
  for i = 1, n do
    local j = string.find(s, ',', at, true)
    out[i] = string.sub(s, at, j - 1)
    at = j + 1
  end
  out[n + 1] = string.sub(s, at)
  return out
end
-- Cover the minute-aligned [a, b) with the largest whole tiles of the levels (ascending ms): whole tiles of a
-- level next to the edges, the next level's in the middle (docs/aggregations.md). Appends {level, index} to out.
local function decompose(out, a, b, levels)
  local function span(from, to, level)
    local x = from
    while x < to do
      out[#out + 1] = { level, x / level }
      x = x + level
    end
  end
  local function rec(from, to, k)
    local level, nxt = levels[k], levels[k + 1]
    if not nxt then return span(from, to, level) end
    local a2 = math.ceil(from / nxt) * nxt
    local b2 = math.floor(to / nxt) * nxt
    if a2 >= b2 then return span(from, to, level) end
    span(from, a2, level)
    span(b2, to, level)
    rec(a2, b2, k + 1)
  end
  if a < b then rec(a, b, 1) end
end
local out = {}
local a, k = 1, 1
while a <= #ARGV do
  if ARGV[a] == 'A' then
    -- one aggregation read (src/online/aggregation/redis-read.ts). KEYS: :e, :v, then one tile hash per day.
    -- ARGV: day count and days, level count and levels (ms), window count and each window's minute-aligned
    -- [lo, hi), the statistics field count, then the raw ranges. Each window's whole tiles are merged here;
    -- the raw events of the edge ranges go back as they are.
    local zkey, vkey = KEYS[k], KEYS[k + 1]
    local nd = tonumber(ARGV[a + 1])
    a = a + 2
    local dayKey = {}
    for d = 1, nd do dayKey[tonumber(ARGV[a + d - 1])] = KEYS[k + 1 + d] end
    a = a + nd
    local nl = tonumber(ARGV[a])
    local levels = {}
    for i = 1, nl do levels[i] = tonumber(ARGV[a + i]) end
    a = a + nl + 1
    local nw = tonumber(ARGV[a])
    local spans = {}
    for w = 1, nw do spans[w] = { tonumber(ARGV[a + 2 * w - 1]), tonumber(ARGV[a + 2 * w]) } end
    a = a + 2 * nw + 1
    local ks = tonumber(ARGV[a])
    a = a + 1
    local windows = {}
    for w = 1, nw do
      local tiles = {}
      decompose(tiles, spans[w][1], spans[w][2], levels)
      local byDay, order = {}, {}
      for _, t in ipairs(tiles) do
        local day = math.floor(t[1] * t[2] / 86400000)
        if not byDay[day] then byDay[day] = {}; order[#order + 1] = day end
        local f = byDay[day]
        f[#f + 1] = string.format('%d:%d', t[1], t[2])
      end
      local n, s, c, mn, mx = 0, {}, {}, {}, {}
      for i = 1, ks do s[i], c[i], mn[i], mx[i] = 0, 0, nil, nil end
      local lts, lcr, ltie, ljson = nil, '', '', ''
      for _, day in ipairs(order) do
        local vals = redis.call('HMGET', dayKey[day], unpack(byDay[day]))
        for _, cur in ipairs(vals) do
          if cur then
            local p = split(cur, 4 + 4 * ks)
            n = n + tonumber(p[1])
            for i = 1, ks do
              local b = 4 + 4 * (i - 1)
              s[i] = s[i] + tonumber(p[b + 1])
              c[i] = c[i] + tonumber(p[b + 2])
              if p[b + 3] ~= '' and (mn[i] == nil or tonumber(p[b + 3]) < tonumber(mn[i])) then mn[i] = p[b + 3] end
              if p[b + 4] ~= '' and (mx[i] == nil or tonumber(p[b + 4]) > tonumber(mx[i])) then mx[i] = p[b + 4] end
            end
            local ts = tonumber(p[2])
            local up = lts == nil
            if not up and ts ~= lts then up = ts > lts end
            if not up and ts == lts then
              local x = (p[3] ~= '') and tonumber(p[3]) or -math.huge
              local y = (lcr ~= '') and tonumber(lcr) or -math.huge
              if x ~= y then up = x > y else up = cmp_bytes(p[4], ltie) > 0 end
            end
            if up then lts, lcr, ltie, ljson = ts, p[3], p[4], p[5 + 4 * ks] end
          end
        end
      end
      local r = { string.format('%d', n), lts and string.format('%d', lts) or '', lcr, ltie, ljson }
      for i = 1, ks do r[#r + 1] = string.format('%.17g,%d,%s,%s', s[i], c[i], mn[i] or '', mx[i] or '') end
      windows[w] = r
    end
    local nr = tonumber(ARGV[a])
    a = a + 1
    local ranges = {}
    for r = 1, nr do
      local ids = redis.call('ZRANGEBYSCORE', zkey, ARGV[a], '(' .. ARGV[a + 1])
      if #ids > 0 then ranges[r] = redis.call('HMGET', vkey, unpack(ids)) else ranges[r] = {} end
      a = a + 2
    end
    out[#out + 1] = { windows, ranges }
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
    /** See READ_LUA: the number of keys, the keys, then the (keys, fields, …fields) runs. */
    fgReadMany(numKeys: number, ...keysAndArgs: string[]): Result<(string | null)[][], Context>;
  }
}

export const defineReadCommand = (client: Redis | Cluster): void => client.defineCommand(READ_COMMAND, { lua: READ_LUA });

/** One key to read and the fields to read from it, or one aggregation read (its keys and arguments). */
export type ReadItem =
  | { readonly key: string; readonly fields: readonly string[] }
  | { readonly key: string; readonly agg: { readonly keys: readonly string[]; readonly argv: readonly string[] } };

/** Script arguments for items (consecutive items with the same field list share one run). */
export const readArgs = (items: readonly ReadItem[]): string[] => {
  const keys: string[] = [];
  const argv: string[] = [];
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

import type { Cluster, Redis, Result } from 'ioredis';
import { CMP_BYTES_LUA } from '../redis-script.js';
import { DAY_MS } from './tiles.js';

/**
 * Write raw events of an aggregation view (docs/aggregations.md, "Online: Redis"), atomically per event
 * (Redis runs a script without interleaving other commands).
 *
 * Per entity and view, three kinds of keys share the entity's hash tag (one Cluster slot):
 *   …:<view>:e        sorted set: event id → event time (ms)
 *   …:<view>:v        hash: event id → `ts,cr,tie,[fields…]` (the raw event, read at window edges)
 *   …:<view>:t:<day>  hash per UTC day: `<tile ms>:<tile index>` → the tile (`n,lastTs,lastCr,lastTie,`,
 *                     per statistics field `sum,count,min,max,`, then the last event's fields as JSON)
 *
 * ARGV starts with the tile levels (count, then sizes in ms) and the number k of statistics fields; then per
 * event (KEYS: its :e, :v and day key): id, ts, cr ('' = none), tie key (hex), fields JSON, cutoff (events at
 * or before it are outside every window and dropped), expire-at of :e/:v, expire-at of the day key, and
 * the k statistics values ('' = null).
 *
 * Idempotent: HSETNX on the event id makes a replay (same entity and id) a no-op, so it counts once.
 * Old events leave :e and :v as later writes trim them (and the keys expire after the longest window
 * without writes); a day's tiles expire with their day key. Returns how many events were new.
 * Strings are compared byte by byte, never with Lua's locale-dependent `<` (as in redis-script.ts).
 */
export const WRITE_EVENTS_LUA = `${CMP_BYTES_LUA}
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
local function newer(ts, cr, tie, cts, ccr, ctie)
  if ts ~= cts then return ts > cts end
  local a = (cr ~= '') and tonumber(cr) or -math.huge
  local b = (ccr ~= '') and tonumber(ccr) or -math.huge
  if a ~= b then return a > b end
  return cmp_bytes(tie, ctie) > 0
end
local a = 1
local nl = tonumber(ARGV[a])
local levels = {}
for i = 1, nl do levels[i] = tonumber(ARGV[a + i]) end
a = a + nl + 1
local k = tonumber(ARGV[a])
a = a + 1
local nf = 4 + 4 * k
-- A tile's fields in one string.match when they fit in Lua's 32 captures (up to 6 statistics fields), else split.
local pat = (nf + 1 <= 32) and ('^' .. string.rep('([^,]*),', nf) .. '(.*)$') or nil
local written = 0
for e = 0, (#KEYS / 3) - 1 do
  local zkey, vkey, tkey = KEYS[3 * e + 1], KEYS[3 * e + 2], KEYS[3 * e + 3]
  local id, ts, cr, tie, json = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local cutoff, kexp, texp = ARGV[a + 5], tonumber(ARGV[a + 6]), ARGV[a + 7]
  local vals = {}
  for i = 1, k do vals[i] = ARGV[a + 7 + i] end
  a = a + 8 + k
  local old = redis.call('ZRANGEBYSCORE', zkey, '-inf', cutoff, 'LIMIT', 0, 500)
  if #old > 0 then
    redis.call('HDEL', vkey, unpack(old))
    redis.call('ZREMRANGEBYRANK', zkey, 0, #old - 1)
  end
  local t = tonumber(ts)
  if t > tonumber(cutoff) and redis.call('HSETNX', vkey, id, ts .. ',' .. cr .. ',' .. tie .. ',' .. json) == 1 then
    redis.call('ZADD', zkey, ts, id)
    -- Every level's tile of this event in one HMGET and one HSET (they share the day key).
    local fields = {}
    for li = 1, nl do fields[li] = levels[li] .. ':' .. math.floor(t / levels[li]) end
    local curs = redis.call('HMGET', tkey, unpack(fields))
    -- A new tile is the same text at every level: built once.
    local fresh
    local updates = {}
    for li = 1, nl do
      local cur = curs[li]
      local tile
      if not cur then
        if not fresh then
          local parts = { '1', ts, cr, tie }
          for i = 1, k do
            local v = vals[i]
            if v == '' then parts[#parts + 1] = '0,0,,' else parts[#parts + 1] = v .. ',1,' .. v .. ',' .. v end
          end
          parts[#parts + 1] = json
          fresh = table.concat(parts, ',')
        end
        tile = fresh
      else
        local p = pat and { string.match(cur, pat) } or split(cur, nf)
        local up = newer(t, cr, tie, tonumber(p[2]), p[3], p[4])
        local parts = { string.format('%d', tonumber(p[1]) + 1) }
        if up then parts[2], parts[3], parts[4] = ts, cr, tie else parts[2], parts[3], parts[4] = p[2], p[3], p[4] end
        for i = 1, k do
          local b = 4 + 4 * (i - 1)
          local s, c, mn, mx = p[b + 1], p[b + 2], p[b + 3], p[b + 4]
          local v = vals[i]
          if v ~= '' then
            local x = tonumber(v)
            s = string.format('%.17g', tonumber(s) + x)
            c = string.format('%d', tonumber(c) + 1)
            if mn == '' or x < tonumber(mn) then mn = v end
            if mx == '' or x > tonumber(mx) then mx = v end
          end
          parts[#parts + 1] = s .. ',' .. c .. ',' .. mn .. ',' .. mx
        end
        parts[#parts + 1] = up and json or p[nf + 1]
        tile = table.concat(parts, ',')
      end
      updates[#updates + 1] = fields[li]
      updates[#updates + 1] = tile
    end
    redis.call('HSET', tkey, unpack(updates))
    -- A day key's expiry depends only on its day: set with its first event (its day tile new), or on every
    -- write when the view keeps no day tiles.
    if levels[nl] ~= ${DAY_MS} or not curs[nl] then redis.call('PEXPIREAT', tkey, texp) end
    -- :e and :v are only ever given expiries here, always the same one: :e's tells both.
    if redis.call('PEXPIRETIME', zkey) < kexp then
      redis.call('PEXPIREAT', zkey, kexp)
      redis.call('PEXPIREAT', vkey, kexp)
    end
    written = written + 1
  end
end
return written
`;

export const WRITE_EVENTS_COMMAND = 'fgWriteEvents';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See WRITE_EVENTS_LUA: the number of keys, the keys (three per event), then the arguments. */
    fgWriteEvents(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
  }
}

export const defineWriteEventsCommand = (client: Redis | Cluster): void =>
  client.defineCommand(WRITE_EVENTS_COMMAND, { lua: WRITE_EVENTS_LUA });

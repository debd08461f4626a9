import type { Cluster, Redis, Result } from 'ioredis';
import { CREATED_TS_FIELD, EVENT_TS_FIELD, TIE_FIELD } from './redis-layout.js';

/**
 * Write-if-newer for one or more hashes, atomic because Redis runs a script without interleaving other
 * commands. KEYS: the hashes. ARGV[1]: the pub/sub channel a written row is announced on ('' = none); then, for each key in turn: the number N of feature arguments, event ms,
 * created ms ('' = none), tie key (`tieKey`, hex), expire-at ms ('' = never), then N feature field/value arguments.
 * Returns how many rows became the value, each announced on the channel in the same atomic step as
 * `[hash key, event ms, created ms or '', feature, value, …]` (cjson), so every process that subscribes sees
 * the changes of a key in the order they became its value (docs/subscriptions.md). A row is skipped when its stored row is greater or equal by
 * (event, created, tie key) — the order of `compareRows`, which is the offline order (docs/writes.md).
 *
 * Several rows per call (standalone Redis; one per call in a cluster, where the keys span slots) because
 * the per-call cost of a script dominates a small write: packing rows cut Redis CPU per row by about half
 * in bench:materialize.
 *
 * Strings are never compared with Lua's `<`: Redis sets LC_COLLATE from its environment, so `<` would
 * follow the server's locale. The tie key is lowercase hex, compared byte by byte.
 */
/** Lua: compare two strings byte by byte (-1, 0, 1), whatever the server's locale; shared by the write scripts. */
export const CMP_BYTES_LUA = `
local function cmp_bytes(a, b)
  if a == b then return 0 end
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return (x < y) and -1 or 1 end
  end
  return (#a < #b) and -1 or 1
end
`;

export const WRITE_IF_NEWER_LUA = `${CMP_BYTES_LUA}
local function newer(key, ev, cr, tie)
  local cur = redis.call('HMGET', key, '${EVENT_TS_FIELD}', '${CREATED_TS_FIELD}', '${TIE_FIELD}')
  if not cur[1] then return true end
  local ne, ce = tonumber(ev), tonumber(cur[1])
  if ne ~= ce then return ne > ce end
  local nc = (cr ~= '') and tonumber(cr) or -math.huge
  local cc = cur[2] and tonumber(cur[2]) or -math.huge
  if nc ~= cc then return nc > cc end
  return cmp_bytes(tie, cur[3] or '') > 0
end

local channel = ARGV[1]
local written, a = 0, 2
for k = 1, #KEYS do
  local key, n = KEYS[k], tonumber(ARGV[a])
  local ev, cr, tie, expire = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  if newer(key, ev, cr, tie) then
    -- replace the whole hash: drops a stale created time, stale features and the old expiry
    redis.call('DEL', key)
    local fields = { '${EVENT_TS_FIELD}', ev, '${TIE_FIELD}', tie }
    if cr ~= '' then
      fields[#fields + 1] = '${CREATED_TS_FIELD}'
      fields[#fields + 1] = cr
    end
    for i = a + 5, a + 4 + n do fields[#fields + 1] = ARGV[i] end
    redis.call('HSET', key, unpack(fields))
    if expire ~= '' then redis.call('PEXPIREAT', key, expire) end
    if channel ~= '' then redis.call('PUBLISH', channel, cjson.encode({ key, ev, cr, unpack(ARGV, a + 5, a + 4 + n) })) end
    written = written + 1
  end
  a = a + 5 + n
end
return written
`;

export const WRITE_COMMAND = 'fgWriteIfNewer';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See WRITE_IF_NEWER_LUA: the number of keys, the keys, the change channel, then each row's arguments. */
    fgWriteIfNewer(numKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
  }
}

/**
 * ioredis sends EVAL the first time per connection and EVALSHA afterwards, falling back on NOSCRIPT,
 * also inside pipelines, so a restarted or failed-over Redis needs no explicit SCRIPT LOAD.
 */
export const defineWriteCommand = (client: Redis | Cluster): void => client.defineCommand(WRITE_COMMAND, { lua: WRITE_IF_NEWER_LUA });

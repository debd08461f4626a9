import type { Cluster, Redis, Result } from 'ioredis';
import { CREATED_TS_FIELD, EVENT_TS_FIELD, PAYLOAD_FIELD } from './redis-layout.js';

/**
 * Write-if-newer for one hash, atomic because Redis runs a script without interleaving other commands.
 * KEYS[1]: the hash. ARGV: event ms, created ms ('' = none), payload, expire-at ms ('' = never),
 * then feature field/value pairs. Returns 1 when the row became the value, 0 when the stored row is
 * greater or equal by (event, created, payload) — the order of `compareRows`.
 *
 * Strings are never compared with Lua's `<`: Redis sets LC_COLLATE from its environment, so `<` would
 * follow the server's locale. The payload tie-break compares UTF-8 bytes (code point order), as
 * `compareRows` and SQL's COLLATE "C" do.
 */
export const WRITE_IF_NEWER_LUA = `
local function cmp_bytes(a, b)
  if a == b then return 0 end
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return (x < y) and -1 or 1 end
  end
  return (#a < #b) and -1 or 1
end

local cur = redis.call('HMGET', KEYS[1], '${EVENT_TS_FIELD}', '${CREATED_TS_FIELD}', '${PAYLOAD_FIELD}')
if cur[1] then
  local ne, ce = tonumber(ARGV[1]), tonumber(cur[1])
  if ne < ce then return 0 end
  if ne == ce then
    local nc = (ARGV[2] ~= '') and tonumber(ARGV[2]) or -math.huge
    local cc = cur[2] and tonumber(cur[2]) or -math.huge
    if nc < cc then return 0 end
    if nc == cc and cmp_bytes(ARGV[3], cur[3] or '') <= 0 then return 0 end
  end
end

-- replace the whole hash: drops a stale created time, stale features and the old expiry
redis.call('DEL', KEYS[1])
local fields = { '${EVENT_TS_FIELD}', ARGV[1], '${PAYLOAD_FIELD}', ARGV[3] }
if ARGV[2] ~= '' then
  fields[#fields + 1] = '${CREATED_TS_FIELD}'
  fields[#fields + 1] = ARGV[2]
end
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
if ARGV[4] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[4]) end
return 1
`;

export const WRITE_COMMAND = 'fgWriteIfNewer';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** See WRITE_IF_NEWER_LUA. */
    fgWriteIfNewer(key: string, ...args: string[]): Result<number, Context>;
  }
}

/**
 * ioredis sends EVAL the first time per connection and EVALSHA afterwards, falling back on NOSCRIPT,
 * also inside pipelines, so a restarted or failed-over Redis needs no explicit SCRIPT LOAD.
 */
export const defineWriteCommand = (client: Redis | Cluster): void =>
  client.defineCommand(WRITE_COMMAND, { lua: WRITE_IF_NEWER_LUA, numberOfKeys: 1 });

import type { Cluster, Redis, Result } from 'ioredis';
import { CREATED_TS_FIELD, EVENT_TS_FIELD, PAYLOAD_FIELD } from './redis-layout.js';

/**
 * Write-if-newer for one hash, atomic because Redis runs a script without interleaving other commands.
 * KEYS[1]: the hash. ARGV: event ms, created ms ('' = none), payload, expire-at ms ('' = never),
 * then feature field/value pairs. Returns 1 when the row became the value, 0 when the stored row is
 * greater or equal by (event, created, payload) — the order of `compareRows`.
 *
 * Strings are never compared with Lua's `<`: Redis sets LC_COLLATE from its environment, so `<` would
 * follow the server's locale. The payload tie-break walks the bytes instead and orders the first
 * differing character by its UTF-16 code units, exactly as JavaScript compares strings.
 */
export const WRITE_IF_NEWER_LUA = `
local function unit(s, i)
  local c = string.byte(s, i)
  if c < 0x80 then return c end
  if c < 0xE0 then return (c - 0xC0) * 64 + (string.byte(s, i + 1) - 0x80) end
  if c < 0xF0 then
    return ((c - 0xE0) * 64 + (string.byte(s, i + 1) - 0x80)) * 64 + (string.byte(s, i + 2) - 0x80)
  end
  local cp = (((c - 0xF0) * 64 + (string.byte(s, i + 1) - 0x80)) * 64 + (string.byte(s, i + 2) - 0x80)) * 64
    + (string.byte(s, i + 3) - 0x80)
  -- astral characters are a surrogate pair in UTF-16: they sort after U+D7FF and before U+E000
  return 0xD800 + (cp - 0x10000) / 0x100000
end

local function cmp_utf16(a, b)
  if a == b then return 0 end
  local n = math.min(#a, #b)
  local i = 1
  while i <= n and string.byte(a, i) == string.byte(b, i) do i = i + 1 end
  if i > n then return (#a < #b) and -1 or 1 end
  -- back up to the first byte of the differing character (both strings share its lead byte)
  while i > 1 and string.byte(a, i) >= 0x80 and string.byte(a, i) < 0xC0 do i = i - 1 end
  return (unit(a, i) < unit(b, i)) and -1 or 1
end

local cur = redis.call('HMGET', KEYS[1], '${EVENT_TS_FIELD}', '${CREATED_TS_FIELD}', '${PAYLOAD_FIELD}')
if cur[1] then
  local ne, ce = tonumber(ARGV[1]), tonumber(cur[1])
  if ne < ce then return 0 end
  if ne == ce then
    local nc = (ARGV[2] ~= '') and tonumber(ARGV[2]) or -math.huge
    local cc = cur[2] and tonumber(cur[2]) or -math.huge
    if nc < cc then return 0 end
    if nc == cc and cmp_utf16(ARGV[3], cur[3] or '') <= 0 then return 0 end
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

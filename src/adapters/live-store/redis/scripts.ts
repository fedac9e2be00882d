/**
 * The Redis live store's Lua scripts. A script runs atomically, so a commit (check the previous
 * checkpoint, apply the delta, move the checkpoint) and a load (a consistent snapshot) are each
 * one step no reader or flush can cut in half.
 *
 * Keys (ARCHITECTURE.md): {p}ckpt:{projection}, {p}symbols, {p}series:{symbol} (exchange → meta),
 * {p}candle:1m:{symbol} (sorted by minute, members "exchange|minute"), {p}slot:1m:{symbol}
 * (member → stored slot). Numbers travel as strings: Lua's doubles would print 1.7e12 badly.
 */

/** ARGV: prefix, projection, expected checkpoint ('' = unchecked), new checkpoint, ttl s, deltas JSON. */
export const COMMIT_SCRIPT = `
local prefix, projection, expected, checkpoint, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local ckptKey = prefix .. 'ckpt:' .. projection
if expected ~= '' then
  local current = redis.call('GET', ckptKey) or '0'
  if current ~= expected then return redis.error_reply('CHECKPOINT_LOST ' .. current) end
end
for _, d in ipairs(cjson.decode(ARGV[6])) do
  local symbol, exchange = d[1], d[2]
  local z, h = prefix .. 'candle:1m:' .. symbol, prefix .. 'slot:1m:' .. symbol
  redis.call('SADD', prefix .. 'symbols', symbol)
  redis.call('HSET', prefix .. 'series:' .. symbol, exchange, d[3])
  for _, u in ipairs(d[4]) do
    local member = exchange .. '|' .. u[1]
    redis.call('ZADD', z, u[1], member)
    redis.call('HSET', h, member, u[2])
  end
  for _, m in ipairs(d[5]) do
    local member = exchange .. '|' .. m
    redis.call('ZREM', z, member)
    redis.call('HDEL', h, member)
  end
  if ttl > 0 and redis.call('EXISTS', z) == 1 then
    redis.call('EXPIRE', z, ttl)
    redis.call('EXPIRE', h, ttl)
  end
end
redis.call('SET', ckptKey, checkpoint)
return 'OK'
`;

/** ARGV: prefix, projection → [checkpoint, symbol, series HGETALL, slots HGETALL, symbol, ...]. */
export const LOAD_SCRIPT = `
local prefix = ARGV[1]
local out = { redis.call('GET', prefix .. 'ckpt:' .. ARGV[2]) or '0' }
for _, s in ipairs(redis.call('SMEMBERS', prefix .. 'symbols')) do
  out[#out + 1] = s
  out[#out + 1] = redis.call('HGETALL', prefix .. 'series:' .. s)
  out[#out + 1] = redis.call('HGETALL', prefix .. 'slot:1m:' .. s)
end
return out
`;

/** KEYS: candle zset, slot hash; ARGV: from (inclusive), to (exclusive) → [member, slot, ...]. */
export const MINUTES_SCRIPT = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '(' .. ARGV[2])
if #members == 0 then return {} end
local out = {}
for i, m in ipairs(members) do
  out[2 * i - 1] = m
  out[2 * i] = redis.call('HGET', KEYS[2], m)
end
return out
`;

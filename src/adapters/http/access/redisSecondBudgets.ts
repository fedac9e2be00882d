/**
 * SecondBudgets in Redis, shared by every API process on the cluster profile: one Lua script per
 * reservation (read the counter, grant what is left up to the wanted batch, add it, let the key
 * expire), so concurrent reservations from several processes are serialised by Redis and never
 * grant more than the limit between them. A counter names one clock second, so it is useless a
 * few seconds later: it expires then (the margin covers clocks of API hosts a little apart).
 */
import type { Redis } from 'ioredis';
import type { Reservation, SecondBudgets } from './secondBudgets.js';

const COUNTER_TTL_MS = 10_000;

// KEYS[1] counter; ARGV wanted, limit, ttl ms. Returns {granted, remaining}.
const RESERVE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[2])
local granted = math.min(tonumber(ARGV[1]), math.max(0, limit - used))
if granted > 0 then
  redis.call('INCRBY', KEYS[1], granted)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return {granted, math.max(0, limit - used - granted)}
`;

type ReservingRedis = Redis & { tickvaultReserveTokens(key: string, wanted: number, limit: number, ttlMs: number): Promise<[number, number]> };

export const createRedisSecondBudgets = (redis: Redis, prefix: string): SecondBudgets => {
  const r = redis as ReservingRedis;
  // ioredis sends EVALSHA, and the script itself once when Redis does not know it yet.
  if (typeof r.tickvaultReserveTokens !== 'function') redis.defineCommand('tickvaultReserveTokens', { numberOfKeys: 1, lua: RESERVE });
  return {
    async reserve(key, wanted, limit): Promise<Reservation> {
      const [granted, remaining] = await r.tickvaultReserveTokens(`${prefix}${key}`, wanted, limit, COUNTER_TTL_MS);
      return { granted, remaining };
    },
  };
};

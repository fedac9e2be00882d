/**
 * One way to open an ioredis connection for every Redis adapter: bounded connect and command
 * timeouts, so a dead server surfaces as an error instead of a hang, and a name in CLIENT LIST.
 */
import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  readonly url: string;
  /** Shown in CLIENT LIST, to tell which part of tickvault holds a connection. */
  readonly name: string;
  readonly commandTimeoutMs?: number;
  /** BullMQ's blocking connections must queue commands across reconnects instead of failing them. */
  readonly retryRequestsForever?: boolean;
}

export const openRedis = (opts: RedisConnectionOptions): Redis =>
  new Redis(opts.url, {
    connectionName: opts.name,
    connectTimeout: 5_000,
    // A blocking command legitimately waits longer than any command timeout.
    ...(opts.retryRequestsForever === true ? { maxRetriesPerRequest: null } : { commandTimeout: opts.commandTimeoutMs ?? 10_000, maxRetriesPerRequest: 3 }),
    // Reconnect with a capped backoff: a Redis restart is survived without a manual step.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });

/** Deletes every key starting with `prefix` (SCAN, so a large keyspace never blocks Redis). */
export const deleteByPrefix = async (redis: Redis, prefix: string): Promise<void> => {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
};

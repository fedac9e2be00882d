/**
 * Requests per second per API key (per client address for requests without one), with 429 and
 * Retry-After past the limit: @fastify/rate-limit, counting in one-second windows aligned to the
 * clock's seconds (the second is part of the counter's key: the plugin's own windows start at a
 * key's first request, so one window's tail and the next one's head could share a wall-clock
 * second and let up to twice the limit through in it). The plugin's store spends tokens reserved
 * in batches (tokenReserver.ts) from the counters: with a Redis connection (the cluster profile)
 * they live there, so every API process behind a balancer spends one key's one budget, without a
 * Redis round trip per request; without, in this process. Runs after authentication (its hook is
 * the route's own, which Fastify runs after the app's), so the key is known.
 */
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { isRole, type Role } from '../../../domain/access/roles.js';
import { principalOf } from './authenticate.js';
import { createRedisSecondBudgets } from './redisSecondBudgets.js';
import { createLocalSecondBudgets } from './secondBudgets.js';
import { createTokenReserver, type TokenReserver } from './tokenReserver.js';

const WINDOW_MS = 1_000;

export interface RateLimitSettings {
  /** Requests per second of a key (or an address without one). */
  readonly rateLimit: number;
  /** `role=n,role=n`: per-role exceptions. */
  readonly rateLimitByRole: string;
  /** Shared counters; undefined: this process's own. */
  readonly redis?: Redis;
  /** Prefix of the counters' Redis keys. */
  readonly redisPrefix: string;
}

/** The limit of each role, from the settings (validated by their pattern). */
export const limitsByRole = (settings: Pick<RateLimitSettings, 'rateLimit' | 'rateLimitByRole'>): Readonly<Record<Role, number>> => {
  const limits: Record<Role, number> = { viewer: settings.rateLimit, trader: settings.rateLimit, risk: settings.rateLimit, compliance: settings.rateLimit, admin: settings.rateLimit };
  for (const pair of settings.rateLimitByRole.split(',').filter((p) => p !== '')) {
    const [role, n] = pair.split('=');
    if (!isRole(role)) throw new Error(`rateLimitByRole: unknown role in ${JSON.stringify(pair)}`);
    limits[role] = Number(n);
  }
  return limits;
};

/** Thrown by the limiter past the limit; the server's error handler answers it 429. */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  constructor(
    message: string,
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * The plugin's store (a class: the plugin makes the instance) over one reserver: `current` is
 * what is known spent of the key's second, past the limit when refused; `ttl` the rest of the second.
 */
const reservingStore = (reserver: TokenReserver): FastifyRateLimitStoreCtor =>
  class ReservingStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, _timeWindow: number, max: number): void {
      const answer = (allowed: boolean): void =>
        callback(null, { current: allowed ? Math.max(1, reserver.used(key, max)) : max + 1, ttl: WINDOW_MS - (Date.now() % WINDOW_MS) });
      const took = reserver.take(key, max);
      if (typeof took === 'boolean') answer(took);
      else took.then(answer, (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };

export const installRateLimit = async (app: FastifyInstance, settings: RateLimitSettings): Promise<void> => {
  const limits = limitsByRole(settings);
  const subject = (req: FastifyRequest): string => {
    const p = principalOf(req);
    return p === undefined ? `ip:${req.ip}` : `key:${p.keyId}`;
  };
  const budgets = settings.redis === undefined ? createLocalSecondBudgets() : createRedisSecondBudgets(settings.redis, `${settings.redisPrefix}rate:`);
  await app.register(rateLimit, {
    global: true,
    timeWindow: WINDOW_MS,
    max: (req) => limits[principalOf(req)?.role ?? 'viewer'],
    keyGenerator: (req) => `${subject(req)}:${Math.floor(Date.now() / WINDOW_MS)}`,
    store: reservingStore(createTokenReserver(budgets)),
    errorResponseBuilder: (req, ctx) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      const who = principalOf(req);
      return new RateLimitedError(
        `${who === undefined ? `address ${req.ip}` : `key ${who.keyId}`} sent more than ${ctx.max} requests in a second: retry after ${retryAfterSeconds} s (Retry-After), or ask an admin for a higher limit (--rate-limit-by-role)`,
        ctx.max,
        retryAfterSeconds,
      );
    },
  });
};

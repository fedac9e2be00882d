/**
 * The cluster LiveStore on Redis. State survives a platform restart, so the live projection
 * resumes from the stored checkpoint instead of rebuilding.
 *
 * Every commit names the checkpoint this store instance last saw for the projection; the commit
 * script refuses (LiveStoreResetError) when Redis holds another one, e.g. after FLUSHALL. Without
 * that check the next commit would write a fresh checkpoint beside a half-empty state, and the
 * loss would go unnoticed. Live windows (the minute keys) expire after `windowTtlSeconds` without
 * a commit: a symbol that has been silent that long has nothing live left to show.
 */
import type { Redis } from 'ioredis';
import { LiveStoreResetError } from '../../../domain/errors.js';
import type { LatestTrade } from '../../../domain/folds/series.js';
import { loadSlot, storeSlot, type StoredSlot } from '../../../domain/folds/minuteSlot.js';
import type { LiveStore, SeriesDelta, SeriesMeta, SeriesMinute, SeriesSnapshot } from '../../../domain/ports.js';
import { deleteByPrefix, openRedis } from '../../redis/redisClient.js';
import { COMMIT_SCRIPT, LOAD_SCRIPT, MINUTES_SCRIPT } from './scripts.js';

export interface RedisLiveStoreOptions {
  readonly url: string;
  /** Key prefix; `tv:` in production, a unique one per test. */
  readonly prefix?: string;
  readonly windowTtlSeconds?: number;
}

interface StoredMeta {
  readonly maxEventTime: number;
  readonly lateEvents: number;
  /** null stands for -Infinity, which JSON cannot hold. */
  readonly coveredFrom: number | null;
  readonly latest: LatestTrade | null;
}

const encodeMeta = (d: SeriesMeta): string =>
  JSON.stringify({
    maxEventTime: d.maxEventTime,
    lateEvents: d.lateEvents,
    coveredFrom: Number.isFinite(d.coveredFrom) ? d.coveredFrom : null,
    latest: d.latest ?? null,
  } satisfies StoredMeta);

const decodeMeta = (symbol: string, exchange: string, json: string): SeriesMeta => {
  const m = JSON.parse(json) as StoredMeta;
  return {
    exchange,
    symbol,
    maxEventTime: m.maxEventTime,
    lateEvents: m.lateEvents,
    coveredFrom: m.coveredFrom ?? Number.NEGATIVE_INFINITY,
    latest: m.latest ?? undefined,
  };
};

/** "exchange|minute" → its parts; exchange names never contain '|'. */
const splitMember = (member: string): { exchange: string; minute: number } => {
  const cut = member.lastIndexOf('|');
  return { exchange: member.slice(0, cut), minute: Number(member.slice(cut + 1)) };
};

const pairs = (flat: readonly string[]): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const createRedisLiveStore = (options: RedisLiveStoreOptions): LiveStore => {
  const prefix = options.prefix ?? 'tv:';
  const ttl = options.windowTtlSeconds ?? 3_600;
  const redis: Redis = openRedis({ url: options.url, name: 'tickvault-live-store' });
  /** The checkpoint this instance last loaded or committed, per projection. */
  const seen = new Map<string, string>();

  return {
    async load(projection) {
      const reply = (await redis.eval(LOAD_SCRIPT, 0, prefix, projection)) as [string, ...Array<string | string[]>];
      const [checkpoint, ...rest] = reply;
      const series: SeriesSnapshot[] = [];
      for (let i = 0; i + 2 < rest.length; i += 3) {
        const symbol = rest[i] as string;
        const metas = pairs(rest[i + 1] as string[]);
        const slots = pairs(rest[i + 2] as string[]);
        for (const [exchange, json] of metas.sort(([a], [b]) => byText(a, b))) {
          const minutes = slots
            .map(([member, slot]) => ({ ...splitMember(member), slot }))
            .filter((s) => s.exchange === exchange)
            .sort((a, b) => a.minute - b.minute)
            .map((s) => [s.minute, loadSlot(JSON.parse(s.slot) as StoredSlot)] as const);
          series.push({ ...decodeMeta(symbol, exchange, json), minutes });
        }
      }
      seen.set(projection, checkpoint);
      return { checkpoint: Number(checkpoint), series };
    },

    async commit(projection, delta: readonly SeriesDelta[], checkpoint) {
      const payload = delta.map((d) => [
        d.symbol,
        d.exchange,
        encodeMeta(d),
        d.upserts.map(([minute, slot]) => [String(minute), JSON.stringify(storeSlot(slot))]),
        d.evictions.map(String),
      ]);
      const expected = seen.get(projection) ?? '';
      try {
        await redis.eval(COMMIT_SCRIPT, 0, prefix, projection, expected, String(checkpoint), String(ttl), JSON.stringify(payload));
      } catch (e) {
        const lost = e instanceof Error ? /CHECKPOINT_LOST (\S+)/.exec(e.message) : null;
        if (lost !== null) {
          seen.delete(projection);
          throw new LiveStoreResetError(projection, expected, lost[1]!);
        }
        throw e;
      }
      seen.set(projection, String(checkpoint));
    },

    async checkpoint(projection) {
      return Number((await redis.get(`${prefix}ckpt:${projection}`)) ?? 0);
    },

    async seriesOf(symbol) {
      const metas = pairs(await redis.hgetall(`${prefix}series:${symbol}`).then((h) => Object.entries(h).flat()));
      return metas.sort(([a], [b]) => byText(a, b)).map(([exchange, json]) => decodeMeta(symbol, exchange, json));
    },

    async minutes(symbol, from, to) {
      if (to <= from) return [];
      const flat = (await redis.eval(MINUTES_SCRIPT, 2, `${prefix}candle:1m:${symbol}`, `${prefix}slot:1m:${symbol}`, String(from), String(to))) as string[];
      const out: SeriesMinute[] = pairs(flat).map(([member, slot]) => {
        const { exchange, minute } = splitMember(member);
        return { exchange, minute, slot: loadSlot(JSON.parse(slot) as StoredSlot) };
      });
      return out.sort((a, b) => a.minute - b.minute || byText(a.exchange, b.exchange));
    },

    async symbols() {
      return (await redis.smembers(`${prefix}symbols`)).sort(byText);
    },

    async clear() {
      seen.clear();
      // Only this store's key families: other adapters (BullMQ) may share the prefix.
      for (const family of ['ckpt:', 'symbols', 'series:', 'candle:1m:', 'slot:1m:']) await deleteByPrefix(redis, prefix + family);
    },

    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
};

/**
 * Merged OHLCV answers are shared between repeated queries (the batch rows are decoded once),
 * but never stale: a new batch view version, an incremental batch pass, a recompute after a
 * correction and a live commit each make the next answer reflect them. Both profiles.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/app/platform.js';
import type { Config } from '../../src/app/config.js';
import type { OhlcvQuery } from '../../src/read-models/ohlcv.js';
import { clusterStack } from '../support/clusterProfile.js';
import { openTestPlatform, origin, trade } from '../support/platform.js';
import { OHLCV_VIEW } from '../../src/domain/names.js';

const MIN = 60_000;

const PROFILES: Array<{ name: string; skip: boolean; settings: () => Partial<Config> }> = [
  { name: 'embedded', skip: false, settings: () => ({}) },
  { name: 'cluster', skip: clusterStack.skip, settings: () => clusterStack.config() },
];

describe.each(PROFILES)('OHLCV answers ($name platform)', ({ skip, settings }) => {
  if (skip) return void it.skip('needs the stack');
  let platform: Platform;
  let cleanup: () => Promise<void>;
  const now = Date.now();
  const t0 = now - (now % (60 * MIN)) - 2 * 60 * MIN; // two hours ago, on the hour

  beforeEach(async () => {
    ({ platform, cleanup } = await openTestPlatform(settings()));
  });
  afterEach(async () => {
    await cleanup();
  });

  const record = async (items: ReturnType<typeof trade>[]) => {
    const r = await platform.commands.recordObservations({ origin, items });
    await platform.liveProjection.waitFor(r.lastPosition);
  };
  // Half a minute into t0+60m: every `to` below ends in the same minute.
  const q: OhlcvQuery = { symbol: 'BTC-USDT', interval: '1m', from: t0, to: t0 + 60 * MIN + 20_000 };
  const candleAt = (a: { candles: ReadonlyArray<{ time: number }> }, t: number) => a.candles.find((c) => c.time === t);

  it('a repeated query shares its candles, answers its own exact end, and a new batch version or a live commit shows in the next answer', async () => {
    await record([trade('1', '100', t0 + 1_000), trade('2', '101', t0 + 30 * MIN)]);
    await platform.batchProjector.runOnce();
    await record([trade('3', '105', t0 + 45 * MIN)]);

    const first = await platform.queries.ohlcv(q);
    expect(first.batch?.computedThrough).toBe(t0 + 29 * MIN);
    expect(candleAt(first, t0)).toMatchObject({ open: 100, high: 100 });
    const later = await platform.queries.ohlcv({ ...q, to: q.to + 10_000 });
    expect(later.candles).toBe(first.candles);
    expect(later.to).toBe(q.to + 10_000);
    expect(later.sources.at(-1)).toMatchObject({ layer: 'speed', to: q.to + 10_000 });

    // A new version of the batch view with a different first minute, written behind the platform's back.
    const meta = (await platform.batch.meta(OHLCV_VIEW, 'BTC-USDT'))!;
    const [row] = await platform.batch.minutes('BTC-USDT', t0, t0 + MIN);
    const slot = { ...row!.slot, fromTrades: { ...row!.slot.fromTrades!, high: 999 } };
    await platform.batch.commit('ohlcv-answers-test', { replace: [], minutes: [{ ...row!, slot }], candles: [], meta: [{ ...meta, version: meta.version + 1 }] }, 1);
    const rewritten = await platform.queries.ohlcv(q);
    expect(rewritten.batch?.version).toBe(meta.version + 1);
    expect(candleAt(rewritten, t0)).toMatchObject({ high: 999 });

    // A live commit in the speed range.
    await record([trade('4', '77', t0 + 50 * MIN)]);
    const live = await platform.queries.ohlcv(q);
    expect(candleAt(live, t0 + 50 * MIN)).toMatchObject({ low: 77, trades: 1 });
    expect(candleAt(live, t0)).toMatchObject({ high: 999 });
  });

  it('an incremental batch pass and a recompute after a correction each show in the next answer', async () => {
    await record([trade('1', '100', t0 + 1_000), trade('2', '120', t0 + 2_000), trade('3', '101', t0 + 30 * MIN)]);
    await platform.batchProjector.runOnce();
    const before = await platform.queries.ohlcv(q);
    expect(candleAt(before, t0)).toMatchObject({ high: 120, trades: 2 });

    // Moves computedThrough: minute 30 now comes from the batch layer.
    await record([trade('5', '103', t0 + 58 * MIN)]);
    await platform.batchProjector.runOnce();
    const passed = await platform.queries.ohlcv(q);
    expect(passed.batch?.computedThrough).toBeGreaterThan(before.batch!.computedThrough);
    expect(passed.sources[0]).toMatchObject({ layer: 'batch', to: passed.batch!.computedThrough });

    const correction = { correctionId: 'fix-1', target: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '2' }, action: 'void', reason: 'busted by the exchange' };
    await platform.commands.issueCorrection(correction, origin);
    await platform.jobs.drain('recompute');
    const corrected = await platform.queries.ohlcv(q);
    expect(corrected.batch?.version).toBe(passed.batch!.version + 1);
    expect(candleAt(corrected, t0)).toMatchObject({ high: 100, trades: 1 });
  });
});

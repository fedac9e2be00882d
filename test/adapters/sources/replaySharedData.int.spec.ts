/**
 * Replaying the real files of ../shared/data (see its PROVENANCE.md). Skipped, saying why, when
 * the data is absent — except under CI=true, where missing data fails the run.
 */
import { describe, expect, it } from 'vitest';
import { createReplaySource } from '../../../src/adapters/sources/replay/replaySource.js';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import type { CandleData, TradeData } from '../../../src/domain/events/market.js';
import type { SourceItem } from '../../../src/domain/ports.js';
import { requireSharedData } from '../../support/sharedData.js';

const SPOT_KLINES = 'binance-spot-klines-1m-2023-02/BTCUSDT-1m-2023-02-01.csv';
const FUTURES_KLINES = 'binance-futures-klines-1m-2023-02/ETHUSDT-1m-2023-02-01.csv';
const WS = ['binance-spot-ws-2024-08-08/btcusdt_20240808.gz', 'binance-spot-ws-2024-08-08/btcusdt_20240809.gz'];
const data = requireSharedData(SPOT_KLINES, FUTURES_KLINES, ...WS);

const replayAll = async (files: string[]): Promise<{ items: SourceItem[]; source: ReturnType<typeof createReplaySource> }> => {
  const source = createReplaySource({ files });
  const items: SourceItem[] = [];
  await source.run(async (b) => {
    items.push(...b.items);
  }, new AbortController().signal);
  return { items, source };
};

describe('replay of the shared real data', () => {
  it.skipIf(data.skip)('BTCUSDT spot klines of 2023-02-01: 1440 valid one-minute candles from binance, every minute once', async () => {
    data.assertAvailable();
    const { items, source } = await replayAll([data.path(SPOT_KLINES)]);
    expect(items).toHaveLength(1440);
    const candles = items.map((i) => {
      if (i.kind !== 'candle') throw new Error(`expected a candle, got ${JSON.stringify(i)}`);
      const v = validateEventData('CandleObserved', i.data);
      if (!v.ok) throw new Error(v.reason);
      return v.value;
    });
    const day = Date.UTC(2023, 1, 1);
    expect(candles.map((c) => c.openTime)).toEqual(Array.from({ length: 1440 }, (_, m) => day + m * 60_000));
    expect(new Set(candles.map((c) => `${c.exchange} ${c.symbol} ${c.interval}`))).toEqual(new Set(['binance BTC-USDT 1m']));
    expect(candles[0]).toMatchObject({ open: '23125.13000000', close: '23133.74000000', trades: 5638, quoteVolume: '4605541.13923020' });
    for (const c of candles) expect(Number(c.low) <= Math.min(Number(c.open), Number(c.close)) && Number(c.high) >= Math.max(Number(c.open), Number(c.close))).toBe(true);
    expect(source.progress().done).toBe(source.progress().total);
  });

  it.skipIf(data.skip)('ETHUSDT futures klines (header row): binance-futures, the header not taken for a row', async () => {
    data.assertAvailable();
    const { items, source } = await replayAll([data.path(FUTURES_KLINES)]);
    expect(items).toHaveLength(1440);
    expect(items.every((i) => i.kind === 'candle' && (i.data as CandleData).exchange === 'binance-futures' && validateEventData('CandleObserved', i.data).ok)).toBe(true);
    expect(source.stats()).toMatchObject({ lines: 1441, candles: 1440, rejected: 0 });
  });

  it.skipIf(data.skip)('the BTCUSDT websocket recording: 19,904 valid trades, book updates skipped, nothing rejected', async () => {
    data.assertAvailable();
    const { items, source } = await replayAll(WS.map((f) => data.path(f)));
    const trades = items.map((i) => {
      if (i.kind !== 'trade') throw new Error(`expected a trade, got ${JSON.stringify(i)}`);
      const v = validateEventData('TradeObserved', i.data);
      if (!v.ok) throw new Error(v.reason);
      return v.value as TradeData;
    });
    expect(trades).toHaveLength(19_904);
    expect(source.stats()).toMatchObject({ trades: 19_904, rejected: 0 });
    expect(source.stats().skipped).toBeGreaterThan(70_000);
    expect(new Set(trades.map((t) => `${t.exchange} ${t.symbol}`))).toEqual(new Set(['binance BTC-USDT']));
    // Binance trade ids are consecutive per symbol: the recording has no gaps or repeats.
    const ids = trades.map((t) => Number(t.tradeId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    const first = trades[0]!;
    expect(first).toEqual({ exchange: 'binance', symbol: 'BTC-USDT', tradeId: '3735683259', price: '61837.63000000', quantity: '0.02000000', side: 'sell', eventTime: 1723161255342 });
    expect(trades.some((t) => t.side === 'buy')).toBe(true);
    expect(trades.at(-1)!.eventTime).toBeLessThan(Date.UTC(2024, 7, 9, 0, 6));
  });
});

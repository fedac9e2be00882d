/**
 * The Binance connector fed real recorded traffic by a local fake Binance: every frame of the
 * recordings in ../shared/data goes down the WebSocket exactly as it was received, book updates
 * and all. Every trade comes out, nothing is rejected, and the trade ids have no gap.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createBinanceSource } from '../../../../src/adapters/sources/binance/binanceSource.js';
import type { SourceItem } from '../../../../src/domain/ports.js';
import { eventually } from '../../../contracts/polling.js';
import { startFakeExchange, type FakeExchange } from '../../../support/fakeExchange.js';
import { requireSharedData } from '../../../support/sharedData.js';

const SPOT_2024 = ['binance-spot-ws-2024-08-08/btcusdt_20240808.gz', 'binance-spot-ws-2024-08-08/btcusdt_20240809.gz'];
const data = requireSharedData(...SPOT_2024, 'ws-recordings/BINANCE.ws.1.0');

/** The raw frames of a `<receive time> <frame>` recording; the REST snapshot line is not a frame. */
const spotFrames = (file: string): string[] =>
  gunzipSync(readFileSync(data.path(file)))
    .toString('utf8')
    .split('\n')
    .map((line) => line.slice(line.indexOf(' ') + 1))
    .filter((frame) => frame.startsWith('{"stream"'));

/** cryptofeed's format: a header line, `<-` subscriptions, then `<unix time>: <frame>`. */
const cryptofeedFrames = (file: string): string[] =>
  readFileSync(data.path(file), 'utf8')
    .split('\n')
    .filter((line) => /^\d+(\.\d+)?: \{/.test(line))
    .map((line) => line.slice(line.indexOf(': ') + 2));

let exchange: FakeExchange | undefined;
afterEach(async () => {
  await exchange?.close();
  exchange = undefined;
});

const replay = async (symbols: string[], frames: string[], until: (items: SourceItem[]) => boolean): Promise<SourceItem[]> => {
  exchange = await startFakeExchange({ onConnection: (c) => frames.forEach((f) => c.socket.send(f)) });
  const items: SourceItem[] = [];
  const stop = new AbortController();
  const run = createBinanceSource({ symbols, wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl }).run(async (b) => void items.push(...b.items), stop.signal);
  await eventually(() => until(items), { timeoutMs: 60_000, what: 'the recording to come through' });
  stop.abort();
  await run;
  return items;
};

describe('Binance connector on real recordings', () => {
  it.skipIf(data.skip)('2024 BTCUSDT spot: all 19,904 trades, none rejected, no trade-id gap', async () => {
    data.assertAvailable();
    const frames = SPOT_2024.flatMap(spotFrames);
    const items = await replay(['BTC-USDT'], frames, (xs) => xs.filter((i) => i.kind === 'trade').length >= 19_904);
    const trades = items.filter((i) => i.kind === 'trade').map((i) => i.data as { tradeId: string; symbol: string });
    expect(trades).toHaveLength(19_904);
    expect(new Set(trades.map((t) => t.symbol))).toEqual(new Set(['BTC-USDT']));
    expect(items.filter((i) => i.kind === 'rejected')).toEqual([]);
    expect(items.filter((i) => i.kind === 'gap')).toEqual([]);
    const ids = trades.map((t) => Number(t.tradeId));
    expect(ids.every((id, k) => k === 0 || id === ids[k - 1]! + 1)).toBe(true);
  });

  it.skipIf(data.skip)('2021 cryptofeed capture: aggTrades and closed klines of four pairs, none rejected', async () => {
    data.assertAvailable();
    const frames = cryptofeedFrames('ws-recordings/BINANCE.ws.1.0');
    const expectedAggTrades = frames.filter((f) => f.includes('"e":"aggTrade"')).length;
    const expectedKlines = frames.filter((f) => f.includes('"e":"kline"') && f.includes('"x":true')).length;
    expect(expectedAggTrades).toBeGreaterThan(0);
    const items = await replay(['NKN-USDT', 'BLZ-ETH', 'LRC-BTC', 'RUNE-EUR'], frames, (xs) => xs.filter((i) => i.kind === 'trade').length >= expectedAggTrades);
    expect(items.filter((i) => i.kind === 'trade')).toHaveLength(expectedAggTrades);
    expect(items.filter((i) => i.kind === 'candle')).toHaveLength(expectedKlines);
    expect(items.filter((i) => i.kind === 'rejected')).toEqual([]);
  });
});

/**
 * The Binance connector against a local fake Binance (real ws + http servers on loopback):
 * stream splitting, decoding, a dropped connection with missed trades (gap recorded, healed from
 * REST), a peer that stops answering pings, the planned retirement before the 24-hour cut-off,
 * malformed frames, and a slow consumer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBinanceSource } from '../../../../src/adapters/sources/binance/binanceSource.js';
import type { SourceBatch, SourceItem } from '../../../../src/domain/ports.js';
import { eventually, sleep } from '../../../contracts/polling.js';
import { startFakeExchange, type FakeExchange } from '../../../support/fakeExchange.js';

const T = Date.UTC(2024, 7, 8, 23, 55);
const trade = (id: number, symbol = 'BTCUSDT', m = true): string =>
  JSON.stringify({ stream: `${symbol.toLowerCase()}@trade`, data: { e: 'trade', E: T + id, s: symbol, t: id, p: '61837.63000000', q: '0.02000000', T: T + id, m, M: true } });
const restTrade = (id: number): Record<string, unknown> => ({ id, price: '61800.00000000', qty: '0.10000000', quoteQty: '6180', time: T + id, isBuyerMaker: false, isBestMatch: true });

const fast = { backoff: { initialMs: 10, maxMs: 50, random: () => 0.5 }, pingIntervalMs: 20, idleTimeoutMs: 300 };

let exchange: FakeExchange | undefined;
let stop = new AbortController();
beforeEach(() => {
  stop = new AbortController();
});
afterEach(async () => {
  stop.abort();
  await exchange?.close();
  exchange = undefined;
});

const collect = (): { batches: SourceBatch[]; items: () => SourceItem[]; emit: (b: SourceBatch) => Promise<void> } => {
  const batches: SourceBatch[] = [];
  return { batches, items: () => batches.flatMap((b) => b.items), emit: async (b) => void batches.push(b) };
};
const tradeIds = (items: SourceItem[]): string[] => items.filter((i) => i.kind === 'trade').map((i) => (i.data as { tradeId: string }).tradeId);

describe('Binance connector', () => {
  it('splits the symbols across connections within the stream limit, two streams per symbol', async () => {
    exchange = await startFakeExchange();
    const ac = new AbortController();
    const source = createBinanceSource({ symbols: ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'BNB-BTC', 'XRP-USDT'], wsUrl: exchange.wsUrl, streamsPerConnection: 4, socket: fast });
    const run = source.run(collect().emit, ac.signal);
    await eventually(() => exchange!.connections.length === 3, { what: 'three connections' });
    expect(exchange.connections.map((c) => c.url).sort()).toEqual([
      '/stream?streams=btcusdt@trade/btcusdt@kline_1m/ethusdt@trade/ethusdt@kline_1m',
      '/stream?streams=solusdt@trade/solusdt@kline_1m/bnbbtc@trade/bnbbtc@kline_1m',
      '/stream?streams=xrpusdt@trade/xrpusdt@kline_1m',
    ].sort());
    ac.abort();
    await run;
  });

  it('follows every USDT pair trading now, from exchangeInfo', async () => {
    exchange = await startFakeExchange({
      http: (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ symbols: [
          { symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' },
          { symbol: 'ETHBTC', status: 'TRADING', baseAsset: 'ETH', quoteAsset: 'BTC' },
          { symbol: 'LUNAUSDT', status: 'BREAK', baseAsset: 'LUNA', quoteAsset: 'USDT' },
          { symbol: 'SOLUSDT', status: 'TRADING', baseAsset: 'SOL', quoteAsset: 'USDT' },
        ] }));
      },
    });
    const ac = new AbortController();
    const run = createBinanceSource({ symbols: 'all-usdt', wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast }).run(collect().emit, ac.signal);
    const c = await exchange.connection(1);
    expect(exchange.requests).toContain('/api/v3/exchangeInfo');
    expect(c.url).toBe('/stream?streams=btcusdt@trade/btcusdt@kline_1m/solusdt@trade/solusdt@kline_1m');
    ac.abort();
    await run;
  });

  it('reconnects after the server drops the connection, records the trade-id gap and heals it from historicalTrades', async () => {
    exchange = await startFakeExchange({
      http: (req, res) => {
        const url = new URL(req.url ?? '', 'http://x');
        expect(url.pathname).toBe('/api/v3/historicalTrades');
        const from = Number(url.searchParams.get('fromId'));
        const limit = Number(url.searchParams.get('limit'));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Array.from({ length: limit }, (_, i) => restTrade(from + i))));
      },
    });
    const out = collect();
    const source = createBinanceSource({ symbols: ['BTC-USDT'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast });
    const run = source.run(out.emit, stop.signal);
    const first = await exchange.connection(1);
    for (const id of [100, 101, 102]) first.socket.send(trade(id));
    await eventually(() => tradeIds(out.items()).length === 3, { what: 'three trades' });
    first.socket.close(1001, 'going away');
    const second = await exchange.connection(2);
    expect(second.url).toBe(first.url);
    for (const id of [106, 107]) second.socket.send(trade(id));
    await eventually(() => out.items().some((i) => i.kind === 'gapHealed'), { what: 'the gap healed' });
    const items = out.items();
    expect(tradeIds(items)).toEqual(['100', '101', '102', '106', '103', '104', '105', '107']);
    expect(items.find((i) => i.kind === 'gap')?.data).toMatchObject({ exchange: 'binance', symbol: 'BTC-USDT', sequence: 'trade-id', lastSeen: 102, resumedAt: 106, missing: 3 });
    expect(items.find((i) => i.kind === 'gapHealed')?.data).toMatchObject({ lastSeen: 102, resumedAt: 106, recovered: 3 });
    expect(exchange.requests).toEqual(['/api/v3/historicalTrades?symbol=BTCUSDT&fromId=103&limit=3']);
    expect(out.batches.find((b) => b.items.some((i) => i.kind === 'gapHealed'))?.source).toBe('binance:rest');
    expect(source.stats()).toMatchObject({ reconnects: 1, gaps: 1, missingTrades: 3, recoveredTrades: 3 });
    stop.abort();
    await run;
  });

  it('a gap that REST cannot heal stays recorded, and the feed goes on', async () => {
    exchange = await startFakeExchange({ http: (_req, res) => void res.writeHead(429, { 'retry-after': '60' }).end('{"code":-1003,"msg":"Too many requests"}') });
    const out = collect();
    const warnings: string[] = [];
    const source = createBinanceSource({ symbols: ['ETH-USDT'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast, log: (level, m) => void (level === 'warn' && warnings.push(m)) });
    const run = source.run(out.emit, stop.signal);
    const c = await exchange.connection(1);
    for (const id of [1, 5, 6]) c.socket.send(trade(id, 'ETHUSDT'));
    await eventually(() => tradeIds(out.items()).length === 3 && warnings.length > 0, { what: 'trades and a warning' });
    expect(out.items().filter((i) => i.kind === 'gap')).toHaveLength(1);
    expect(out.items().some((i) => i.kind === 'gapHealed')).toBe(false);
    expect(warnings[0]).toMatch(/could not heal .* 429 \(retry after 60 s\)/);
    stop.abort();
    await run;
  });

  it('a peer that stops answering pings is dropped after the idle timeout and the connection is made again', async () => {
    exchange = await startFakeExchange({ autoPong: false });
    const source = createBinanceSource({ symbols: ['BTC-USDT'], wsUrl: exchange.wsUrl, healGaps: false, socket: fast });
    const run = source.run(collect().emit, stop.signal);
    await exchange.connection(2);
    expect(source.stats().reconnects).toBeGreaterThanOrEqual(1);
    stop.abort();
    await run;
  });

  it('retires a connection at its planned lifetime (before Binance\'s 24-hour cut-off) and reconnects at once', async () => {
    exchange = await startFakeExchange();
    const out = collect();
    const source = createBinanceSource({ symbols: ['BTC-USDT'], wsUrl: exchange.wsUrl, healGaps: false, socket: { ...fast, maxLifetimeMs: 150 } });
    const run = source.run(out.emit, stop.signal);
    (await exchange.connection(1)).socket.send(trade(1));
    (await exchange.connection(2)).socket.send(trade(2));
    await eventually(() => tradeIds(out.items()).length === 2, { what: 'both trades' });
    expect(out.items().some((i) => i.kind === 'gap')).toBe(false);
    stop.abort();
    await run;
  });

  it('malformed frames become rejections with reasons and are counted; the connection stays', async () => {
    exchange = await startFakeExchange();
    const out = collect();
    const source = createBinanceSource({ symbols: ['BTC-USDT'], wsUrl: exchange.wsUrl, healGaps: false, socket: fast });
    const run = source.run(out.emit, stop.signal);
    const c = await exchange.connection(1);
    for (const frame of ['{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","t":"x"}}', 'garbage', '{"result":null,"id":1}', trade(9)]) c.socket.send(frame);
    await eventually(() => tradeIds(out.items()).length === 1, { what: 'the valid trade' });
    const reasons = out.items().filter((i) => i.kind === 'rejected').map((i) => (i as { reason: string }).reason);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/t \(trade id\)/);
    expect(reasons[1]).toMatch(/not JSON/);
    expect(source.stats()).toMatchObject({ messages: 4, rejected: 2, skipped: 1, reconnects: 0 });
    stop.abort();
    await run;
  });

  it('a slow consumer slows the reader: every frame arrives, in order, one batch in flight at a time', async () => {
    exchange = await startFakeExchange();
    const seen: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const emit = async (b: SourceBatch): Promise<void> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(5);
      seen.push(...tradeIds([...b.items]));
      inFlight--;
    };
    const source = createBinanceSource({ symbols: ['BTC-USDT'], wsUrl: exchange.wsUrl, healGaps: false, socket: { ...fast, idleTimeoutMs: 5_000, highWater: 50, maxBatch: 20 } });
    const run = source.run(emit, stop.signal);
    const c = await exchange.connection(1);
    const n = 3_000;
    for (let id = 1; id <= n; id++) c.socket.send(trade(id));
    await eventually(() => seen.length === n, { what: `${n} trades`, timeoutMs: 30_000 });
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    expect(maxInFlight).toBe(1);
    stop.abort();
    await run;
  }, 40_000);
});

/**
 * The REST calls that make up for a lost connection, against the fake exchanges' REST (real http
 * on loopback, answering from a scripted trade history as each exchange documents): Kraken's
 * paging through /0/public/Trades by its `last` cursor, its page limit and its errors; and how
 * far back each catch-up reaches (from the last trade's second or millisecond, or only the
 * latest N trades), oldest first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchBitfinexTradesSince } from '../../../../src/adapters/sources/bitfinex/bitfinexRest.js';
import { fetchBitstampTradesSince } from '../../../../src/adapters/sources/bitstamp/bitstampRest.js';
import { fetchBybitRecentTrades } from '../../../../src/adapters/sources/bybit/bybitRest.js';
import { fetchGeminiTradesSince } from '../../../../src/adapters/sources/gemini/geminiRest.js';
import { fetchMissingKrakenTrades } from '../../../../src/adapters/sources/kraken/krakenRest.js';
import { fetchOkxRecentTrades } from '../../../../src/adapters/sources/okx/okxRest.js';
import type { TradeData } from '../../../../src/domain/events/market.js';
import type { SourceItem } from '../../../../src/domain/ports.js';
import type { LastTrade } from '../../../../src/adapters/sources/wire/streamingSource.js';
import { EXCHANGE_PROTOCOLS, canonicalTrade, fakeTrade, krakenRestPage, startFakeMarket, type FakeMarket } from '../../../support/fakeExchangeProtocols.js';

let market: FakeMarket | undefined;
afterEach(async () => {
  krakenRestPage.size = 1000;
  await market?.exchange.close();
  market = undefined;
});
const protocol = (exchange: string) => EXCHANGE_PROTOCOLS.find((p) => p.exchange === exchange)!;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ids = (items: readonly SourceItem[]): number[] => items.map((i) => (i.kind === 'trade' ? Number((i.data as TradeData).tradeId) : Number.NaN));
/** A fake market that has had trades 1..n. */
const marketOf = async (exchange: string, n: number): Promise<FakeMarket> => {
  market = await startFakeMarket(protocol(exchange));
  for (const id of range(1, n)) market.trade(id);
  return market;
};
const signal = new AbortController().signal;

describe('Kraken gap healing from /0/public/Trades', () => {
  const gap = (lastSeen: number, resumedAt: number, symbol = 'BTC-USD') => ({ symbol, lastSeen, resumedAt, missing: resumedAt - lastSeen - 1 });

  it('pages by the `last` cursor from the second of the last trade seen until it reaches the trade it resumed at, keeping only the missing ones', async () => {
    const m = await marketOf('kraken', 20);
    krakenRestPage.size = 3;
    const items = await fetchMissingKrakenTrades(m.exchange.httpUrl, gap(3, 12), fakeTrade(3).time, signal);
    expect(items).toEqual(range(4, 11).map((id) => ({ kind: 'trade', data: canonicalTrade('kraken', 'BTC-USD', fakeTrade(id)) })));
    // Pages [3,4,5] [6,7,8] [9,10,11] [12,13,14]: the last one reaches trade 12 and ends the paging.
    expect(m.exchange.requests).toHaveLength(4);
    expect(m.exchange.requests[0]).toBe(`/0/public/Trades?pair=XBTUSD&since=${fakeTrade(3).time / 1000}`);
    expect(m.exchange.requests[1]).toBe(`/0/public/Trades?pair=XBTUSD&since=${BigInt(fakeTrade(5).time) * 1_000_000n + 123_000n}`);
  });

  it('stops after 20 pages however far the gap reaches, and at the end of the history', async () => {
    const m = await marketOf('kraken', 40);
    krakenRestPage.size = 1;
    expect(ids(await fetchMissingKrakenTrades(m.exchange.httpUrl, gap(1, 1_000), fakeTrade(1).time, signal))).toEqual(range(2, 20));
    expect(m.exchange.requests).toHaveLength(20);
    krakenRestPage.size = 1000;
    expect(ids(await fetchMissingKrakenTrades(m.exchange.httpUrl, gap(30, 1_000), fakeTrade(30).time, signal))).toEqual(range(31, 40));
    // The history ran out: one page with trades, then an empty one.
    expect(m.exchange.requests).toHaveLength(22);
  });

  it('fails with a reason when Kraken answers an error or the start is unknown', async () => {
    const m = await marketOf('kraken', 5);
    await expect(fetchMissingKrakenTrades(m.exchange.httpUrl, gap(1, 4, 'ETH-USD'), fakeTrade(1).time, signal)).rejects.toThrow(/pair=ETHUSD.*Kraken answered \["EQuery:Unknown asset pair"\]/);
    await expect(fetchMissingKrakenTrades(m.exchange.httpUrl, gap(1, 4), undefined, signal)).rejects.toThrow(/time of the last trade seen is unknown/);
  });
});

const last = (id: number): LastTrade => ({ tradeId: String(id), eventTime: fakeTrade(id).time });
const CATCH_UPS: ReadonlyArray<{ exchange: string; symbol: string; catchUp: (rest: string, symbol: string, last: LastTrade, signal: AbortSignal) => Promise<SourceItem[]>; history: number; last: number; reaches: string; expected: number[] }> = [
  { exchange: 'bitstamp', symbol: 'BTC-USD', catchUp: fetchBitstampTradesSince, history: 10, last: 6, reaches: 'the last hour, from the second of the last trade', expected: range(6, 10) },
  { exchange: 'gemini', symbol: 'BTC-USD', catchUp: fetchGeminiTradesSince, history: 10, last: 6, reaches: 'from the millisecond of the last trade', expected: range(6, 10) },
  { exchange: 'bitfinex', symbol: 'BTC-USDT', catchUp: fetchBitfinexTradesSince, history: 10, last: 6, reaches: 'from the millisecond of the last trade', expected: range(6, 10) },
  { exchange: 'okx', symbol: 'BTC-USDT', catchUp: fetchOkxRecentTrades, history: 600, last: 50, reaches: 'only the latest 500 trades', expected: range(101, 600) },
  { exchange: 'bybit', symbol: 'BTC-USDT', catchUp: fetchBybitRecentTrades, history: 100, last: 10, reaches: 'only the latest 60 trades (all Bybit spot keeps)', expected: range(41, 100) },
];

describe.each(CATCH_UPS)('$exchange catch-up after a reconnect', (c) => {
  it(`reaches ${c.reaches}, oldest first, as canonical trades`, async () => {
    const m = await marketOf(c.exchange, c.history);
    const items = await c.catchUp(m.exchange.httpUrl, c.symbol, last(c.last), signal);
    expect(items).toEqual(c.expected.map((id) => ({ kind: 'trade', data: canonicalTrade(c.exchange, c.symbol, fakeTrade(id)) })));
    expect(m.exchange.requests).toEqual([protocol(c.exchange).healing.request(fakeTrade(c.last))]);
  });
});

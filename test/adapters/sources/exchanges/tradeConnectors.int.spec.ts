/**
 * The Kraken, Bitstamp, Gemini, OKX, Bybit and Bitfinex trade connectors, each against a local
 * fake exchange (real ws + http on loopback) speaking that exchange's documented protocol
 * (test/support/fakeExchangeProtocols.ts). One suite for all six: the subscription and the
 * canonical trades; a dropped connection made up for (Kraken: the trade-id gap healed from REST
 * /0/public/Trades; the others: a REST catch-up whose overlap with the stream is dropped), with no
 * trade lost or doubled; malformed frames kept as rejections with their reasons; a slow consumer;
 * keep-alives (OKX, Bybit); the exchange's own request to reconnect (Bitstamp, Bitfinex); and
 * `all-usd`/`all-usdt` from the instruments list, or a clear error when it cannot be read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TradeData } from '../../../../src/domain/events/market.js';
import type { SourceBatch, SourceItem } from '../../../../src/domain/ports.js';
import { eventually, sleep } from '../../../contracts/polling.js';
import type { FakeConnection } from '../../../support/fakeExchange.js';
import { EXCHANGE_PROTOCOLS, canonicalTrade, fakeTrade, startFakeMarket, type ExchangeProtocol, type FakeMarket } from '../../../support/fakeExchangeProtocols.js';

const fast = { backoff: { initialMs: 10, maxMs: 50, random: () => 0.5 }, pingIntervalMs: 20, idleTimeoutMs: 2_000 };

let market: FakeMarket | undefined;
let stop = new AbortController();
beforeEach(() => {
  stop = new AbortController();
});
afterEach(async () => {
  stop.abort();
  await market?.exchange.close();
  market = undefined;
});

const collect = (): { batches: SourceBatch[]; items: () => SourceItem[]; emit: (b: SourceBatch) => Promise<void> } => {
  const batches: SourceBatch[] = [];
  return { batches, items: () => batches.flatMap((b) => b.items), emit: async (b) => void batches.push(b) };
};
const tradesOf = (items: readonly SourceItem[]): TradeData[] => items.filter((i) => i.kind === 'trade').map((i) => i.data as TradeData);
const ids = (items: readonly SourceItem[]): number[] => tradesOf(items).map((t) => Number(t.tradeId));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Waits for the connector's subscription on `c` (keep-alives aside) and returns it parsed. */
const subscriptionOn = async (p: ExchangeProtocol, c: FakeConnection): Promise<unknown[]> => {
  const sent = (): string[] => c.received.filter((m) => m !== p.keepAlive);
  await eventually(() => sent().length >= p.subscription.length, { what: `${p.exchange}'s subscription` });
  return sent().map((m) => JSON.parse(m) as unknown);
};

describe.each(EXCHANGE_PROTOCOLS)('$exchange connector against a fake $exchange', (p) => {
  const start = async (o: { healGaps?: boolean; socket?: typeof fast & { highWater?: number; maxBatch?: number }; keepAliveMs?: number } = {}) => {
    market = await startFakeMarket(p);
    const out = collect();
    const source = p.create({ symbols: [p.symbol], wsUrl: market.exchange.wsUrl, restUrl: market.exchange.httpUrl, socket: o.socket ?? fast, ...(o.healGaps === undefined ? {} : { healGaps: o.healGaps }), ...(o.keepAliveMs === undefined ? {} : { keepAliveMs: o.keepAliveMs }) });
    const run = source.run(out.emit, stop.signal);
    return { m: market, out, source, run };
  };

  it('subscribes as documented and turns live trades into canonical trades (taker side, exact decimals, ms time)', async () => {
    const { m, out, source, run } = await start();
    const c = await m.exchange.connection(1);
    expect(await subscriptionOn(p, c)).toEqual(p.subscription);
    for (const id of [1, 2]) m.trade(id, c);
    await eventually(() => ids(out.items()).length === 2, { what: 'two trades' });
    expect(tradesOf(out.items())).toEqual([1, 2].map((id) => canonicalTrade(p.exchange, p.symbol, fakeTrade(id))));
    expect(out.batches.every((b) => b.source === p.exchange)).toBe(true);
    expect(source.stats()).toMatchObject({ rejected: 0, reconnects: 0 });
    stop.abort();
    await run;
  });

  it(`after a dropped connection it resubscribes and makes up for the missed trades by ${p.healing.by}: none lost, none doubled`, async () => {
    const { m, out, source, run } = await start();
    const first = await m.exchange.connection(1);
    await subscriptionOn(p, first);
    for (const id of range(1, 3)) m.trade(id, first);
    await eventually(() => ids(out.items()).length === 3, { what: 'three trades' });

    first.socket.terminate();
    // Trades happen while the connector is away: more than any exchange's snapshot on subscribe.
    for (const id of range(4, 58)) m.trade(id);
    const second = await m.exchange.connection(2);
    expect(await subscriptionOn(p, second)).toEqual(p.subscription);
    for (const id of [59, 60]) m.trade(id, second);
    await eventually(() => new Set(ids(out.items())).size === 60, { what: 'all 60 trades', timeoutMs: 15_000 });
    stop.abort();
    await run;

    const trades = tradesOf(out.items()).sort((a, b) => Number(a.tradeId) - Number(b.tradeId));
    expect(trades).toEqual(range(1, 60).map((id) => canonicalTrade(p.exchange, p.symbol, fakeTrade(id))));
    expect(m.exchange.requests).toEqual([p.healing.request(fakeTrade(3))]);
    const stats = source.stats();
    expect(stats.reconnects).toBe(1);
    if (p.healing.by === 'trade-id gap') {
      // The snapshot on resubscribe holds the latest 50 (9..58); 4..8 are the gap.
      expect(out.items().filter((i) => i.kind === 'gap').map((i) => i.data)).toMatchObject([{ exchange: p.exchange, symbol: p.symbol, lastSeen: 3, resumedAt: 9, missing: 5 }]);
      expect(out.items().find((i) => i.kind === 'gapHealed')?.data).toMatchObject({ lastSeen: 3, resumedAt: 9, recovered: 5 });
      expect(stats).toMatchObject({ gaps: 1, missingTrades: 5, recoveredTrades: 5 });
    } else {
      expect(out.items().some((i) => i.kind === 'gap')).toBe(false);
      expect(stats.caughtUpTrades).toBeGreaterThan(0);
      // The REST answer overlaps what the stream gave (at least trade 3, the starting point).
      expect(stats.repeats).toBeGreaterThan(0);
      expect(out.batches.filter((b) => b.source === `${p.exchange}:rest`).length).toBeGreaterThan(0);
    }
  }, 20_000);

  it('malformed frames become rejections naming what was wrong, counted; the connection stays and the next trade decodes', async () => {
    const { m, out, source, run } = await start({ healGaps: false });
    const c = await m.exchange.connection(1);
    await subscriptionOn(p, c);
    c.socket.send('{"truncated":');
    for (const bad of p.malformed) c.socket.send(bad.frame);
    m.trade(1, c);
    await eventually(() => ids(out.items()).length === 1, { what: 'the valid trade' });
    const rejections = out.items().filter((i): i is Extract<SourceItem, { kind: 'rejected' }> => i.kind === 'rejected');
    expect(rejections.map((r) => r.reason)).toEqual([expect.stringMatching(/not JSON/), ...p.malformed.map((b) => expect.stringMatching(b.reason) as unknown)]);
    expect(rejections.every((r) => r.raw !== undefined)).toBe(true);
    expect(source.stats()).toMatchObject({ rejected: p.malformed.length + 1, reconnects: 0 });
    stop.abort();
    await run;
  });

  it('a slow consumer slows the reader: every trade arrives, in order, one batch in flight at a time', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    market = await startFakeMarket(p);
    const source = p.create({ symbols: [p.symbol], wsUrl: market.exchange.wsUrl, healGaps: false, socket: { ...fast, idleTimeoutMs: 5_000, highWater: 50, maxBatch: 20 } });
    const run = source.run(async (b) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(5);
      seen.push(...ids(b.items));
      inFlight--;
    }, stop.signal);
    const c = await market.exchange.connection(1);
    await subscriptionOn(p, c);
    const n = 1_000;
    for (const id of range(1, n)) market.trade(id, c);
    await eventually(() => seen.length === n, { what: `${n} trades`, timeoutMs: 30_000 });
    expect(seen).toEqual(range(1, n));
    expect(maxInFlight).toBe(1);
    stop.abort();
    await run;
  }, 40_000);

  it(`--symbols ${p.instruments.choice} follows what the instruments list says trades now`, async () => {
    market = await startFakeMarket(p);
    const source = p.create({ symbols: p.instruments.choice, wsUrl: market.exchange.wsUrl, restUrl: market.exchange.httpUrl, healGaps: false, socket: fast });
    const run = source.run(collect().emit, stop.signal);
    const c = await market.exchange.connection(1);
    await eventually(() => c.received.length >= p.instruments.subscription.length, { what: 'the subscription' });
    expect(c.received.map((m) => JSON.parse(m) as unknown)).toEqual(p.instruments.subscription);
    expect(market.exchange.requests).toEqual([p.instruments.path]);
    stop.abort();
    await run;
  });

  it(`--symbols ${p.instruments.choice} with the exchange unreachable fails at start, saying why and what to do`, async () => {
    market = await startFakeMarket(p);
    const unreachable = market.exchange.httpUrl;
    await market.exchange.close();
    market = undefined;
    const source = p.create({ symbols: p.instruments.choice, wsUrl: 'ws://127.0.0.1:9', restUrl: unreachable, socket: fast });
    await expect(source.run(collect().emit, stop.signal)).rejects.toThrow(new RegExp(`--symbols ${p.instruments.choice} asks ${p.exchange} which US.* pairs trade now, and that failed \\(no network\\? give the symbols as a list instead\\)`));
  });
});

describe.each(EXCHANGE_PROTOCOLS.filter((p) => p.keepAlive !== undefined))('$exchange keep-alive', (p) => {
  it(`sends ${p.keepAlive} at the interval, takes the answers as skips (not rejections) and keeps the connection`, async () => {
    market = await startFakeMarket(p);
    const out = collect();
    const source = p.create({ symbols: [p.symbol], wsUrl: market.exchange.wsUrl, healGaps: false, socket: fast, keepAliveMs: 20 });
    const run = source.run(out.emit, stop.signal);
    const c = await market.exchange.connection(1);
    await eventually(() => c.received.filter((m) => m === p.keepAlive).length >= 3, { what: 'three keep-alives' });
    // Each keep-alive was answered; the answers arrive as skipped frames beside the subscription's acknowledgement.
    await eventually(() => source.stats().skipped >= 4, { what: 'the answers' });
    market.trade(1, c);
    await eventually(() => ids(out.items()).length === 1, { what: 'a trade after the keep-alives' });
    expect(source.stats()).toMatchObject({ rejected: 0, reconnects: 0 });
    stop.abort();
    await run;
  });
});

describe.each(EXCHANGE_PROTOCOLS.filter((p) => p.reconnectRequest !== undefined))('$exchange request to reconnect', (p) => {
  it('closes the connection at once, connects again, resubscribes and catches up on what was missed', async () => {
    market = await startFakeMarket(p);
    const m = market;
    const out = collect();
    const source = p.create({ symbols: [p.symbol], wsUrl: m.exchange.wsUrl, restUrl: m.exchange.httpUrl, socket: { ...fast, backoff: { ...fast.backoff, initialMs: 60_000, maxMs: 60_000 } } });
    const run = source.run(out.emit, stop.signal);
    const first = await m.exchange.connection(1);
    await subscriptionOn(p, first);
    m.trade(1, first);
    await eventually(() => ids(out.items()).length === 1, { what: 'the first trade' });
    // The fake does not close the connection itself: only the connector acting on the request makes a second one
    // (and at once: a backoff of a minute would outlast the test).
    first.socket.send(p.reconnectRequest!);
    m.trade(2);
    await eventually(() => m.exchange.connections.length === 2, { what: 'the second connection' });
    const second = m.exchange.connections[1]!;
    expect(await subscriptionOn(p, second)).toEqual(p.subscription);
    m.trade(3, second);
    await eventually(() => new Set(ids(out.items())).size === 3, { what: 'trades 1 to 3' });
    stop.abort();
    await run;
    expect(ids(out.items()).sort((a, b) => a - b)).toEqual([1, 2, 3]);
    expect(source.stats()).toMatchObject({ reconnects: 1, rejected: 0 });
  });
});

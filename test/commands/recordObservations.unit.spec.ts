/** RecordTrades / RecordCandles decisions, given / when / then. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRecordObservations, type DecideContext } from '../../src/commands/recordObservations.js';
import type { SourceItem } from '../../src/domain/ports.js';
import { garbageArb, T0, uniqueTradesArb } from '../support/arbitraries.js';

const origin = { actor: 'tester', correlationId: 'corr-1', source: 'test' };
const ctx = (): DecideContext => {
  let n = 0;
  return { now: T0 + 86_400_000, nextId: () => `id-${++n}`, maxClockSkewMs: 60_000 };
};
const trade = (over: Record<string, unknown> = {}): SourceItem => ({
  kind: 'trade',
  data: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '7', price: '42000.10', quantity: '0.5', side: 'sell', eventTime: T0 + 1_000, ...over },
});

describe('RecordTrades', () => {
  it('given valid trades, when recorded, then each becomes a TradeObserved with its natural key in its symbol-day stream', () => {
    const events = decideRecordObservations({ origin, items: [trade(), trade({ tradeId: '8' })] }, ctx());
    expect(events.map((e) => [e.type, e.stream, e.dedupKey])).toEqual([
      ['TradeObserved', 'trades/binance/BTC-USDT/2024-01-01', 'trade/binance/BTC-USDT/7'],
      ['TradeObserved', 'trades/binance/BTC-USDT/2024-01-01', 'trade/binance/BTC-USDT/8'],
    ]);
    expect(events[0]!.data).toMatchObject({ price: '42000.10', quantity: '0.5', side: 'sell' });
    expect(events[0]!.meta).toEqual({ actor: 'tester', correlationId: 'corr-1', causationId: null, source: 'test' });
  });

  it('given a batch that repeats a trade, then the repeat is dropped (first wins)', () => {
    const events = decideRecordObservations({ origin, items: [trade(), trade({ price: '1' })] }, ctx());
    expect(events).toHaveLength(1);
    expect((events[0]!.data as { price: string }).price).toBe('42000.10');
  });

  it('given invalid trades, then each is kept as InputRejected with its reason and raw input', () => {
    const events = decideRecordObservations({ origin, items: [trade({ price: 'abc' }), trade({ eventTime: T0 + 10 * 86_400_000 })] }, ctx());
    expect(events.map((e) => e.type)).toEqual(['InputRejected', 'InputRejected']);
    expect(events[0]!.data).toMatchObject({ source: 'test', reason: expect.stringMatching(/data\.price/) as unknown });
    expect((events[0]!.data as { raw: string }).raw).toContain('abc');
    expect((events[1]!.data as { reason: string }).reason).toMatch(/in the future/);
    expect(events[0]!.stream).toBe('rejected/test');
  });

  it('given a source-level rejection, then it is kept as InputRejected with the source reason', () => {
    const events = decideRecordObservations({ origin, items: [{ kind: 'rejected', reason: 'line 3: not JSON', raw: '{oops' }] }, ctx());
    expect(events[0]).toMatchObject({ type: 'InputRejected', data: { reason: 'line 3: not JSON', raw: '{oops' } });
  });

  it('given an inconsistent kline, then it is rejected naming the broken rule', () => {
    const events = decideRecordObservations({
      origin,
      items: [{ kind: 'candle', data: { exchange: 'binance', symbol: 'BTC-USDT', interval: '1m', openTime: T0, open: '10', high: '9', low: '8', close: '9', volume: '1', quoteVolume: '9', trades: 1 } }],
    }, ctx());
    expect(events[0]).toMatchObject({ type: 'InputRejected', data: { reason: expect.stringMatching(/low must be/) as unknown } });
  });

  it('never loses an item: every input is an event, a rejection, or a counted in-batch duplicate; garbage never throws', () => {
    fc.assert(
      fc.property(uniqueTradesArb(30), fc.array(garbageArb, { maxLength: 30 }), (trades, junk) => {
        const items: SourceItem[] = [...trades.map((d) => ({ kind: 'trade' as const, data: d })), ...junk.map((d) => ({ kind: 'trade' as const, data: d }))];
        const events = decideRecordObservations({ origin, items }, ctx());
        const accepted = events.filter((e) => e.type === 'TradeObserved').length;
        const rejected = events.filter((e) => e.type === 'InputRejected').length;
        expect(accepted).toBeGreaterThanOrEqual(trades.length);
        expect(accepted + rejected).toBeLessThanOrEqual(items.length);
        expect(new Set(events.map((e) => e.dedupKey).filter((k) => k !== undefined)).size).toBe(accepted);
      }),
    );
  });
});

describe('RecordObservations: feed gaps, snapshots, sentiment', () => {
  const gap = { exchange: 'coinbase', symbol: 'BTC-USD', sequence: 'trade-id', lastSeen: 10, resumedAt: 14, missing: 3, detectedAt: T0 };
  it('given a gap and its healing, then both land in the symbol\'s gap stream with keys naming the hole; a repeat is dropped', () => {
    const events = decideRecordObservations({ origin, items: [
      { kind: 'gap', data: gap },
      { kind: 'gap', data: gap },
      { kind: 'gapHealed', data: { exchange: 'coinbase', symbol: 'BTC-USD', sequence: 'trade-id', lastSeen: 10, resumedAt: 14, recovered: 3, healedAt: T0 + 5 } },
    ] }, ctx());
    expect(events.map((e) => [e.type, e.stream, e.dedupKey])).toEqual([
      ['FeedGapDetected', 'gaps/coinbase/BTC-USD', 'gap:coinbase:BTC-USD:trade-id:10-14'],
      ['FeedGapHealed', 'gaps/coinbase/BTC-USD', 'gap-healed:coinbase:BTC-USD:trade-id:10-14'],
    ]);
  });

  it('given a snapshot and a sentiment minute, then each is recorded under its subject; invalid ones are rejected with a reason', () => {
    const snapshot = { provider: 'coingecko', assetId: 'bitcoin', symbol: 'BTC-USD', priceUsd: '70000', marketCapUsd: '1380000000000', volume24hUsd: '20000000000', rank: 1, eventTime: T0 };
    const sentiment = { provider: 'file', symbol: 'BTC-USD', minute: T0, score: 0.25, posts: 4 };
    const events = decideRecordObservations({ origin, items: [
      { kind: 'snapshot', data: snapshot },
      { kind: 'sentiment', data: sentiment },
      { kind: 'snapshot', data: { ...snapshot, priceUsd: 'lots' } },
      { kind: 'gap', data: { ...gap, missing: -1 } },
    ] }, ctx());
    expect(events.map((e) => [e.type, e.stream])).toEqual([
      ['MarketSnapshotObserved', 'market/coingecko/BTC-USD'],
      ['SentimentObserved', 'sentiment/BTC-USD'],
      ['InputRejected', 'rejected/test'],
      ['InputRejected', 'rejected/test'],
    ]);
    expect((events[2]!.data as { reason: string }).reason).toMatch(/invalid market snapshot: .*priceUsd/);
    expect((events[3]!.data as { reason: string }).reason).toMatch(/invalid feed gap: .*missing/);
  });
});

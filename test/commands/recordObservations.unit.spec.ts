/** RecordTrades / RecordCandles decisions, given / when / then. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS, recordObservationsDecider } from '../../src/commands/recordObservations.js';
import type { TradeData } from '../../src/domain/events/market.js';
import type { SourceItem } from '../../src/domain/ports.js';
import { garbageArb, T0, tradeArb, uniqueTradesArb } from '../support/arbitraries.js';
import { command as testCommand, deciderSpec } from '../support/decider.js';

const { given } = deciderSpec(recordObservationsDecider);
const origin = { actor: 'tester', correlationId: 'corr-1', source: 'test' };
const NOW = T0 + 86_400_000;
/** A batch of items arriving at NOW from `origin`. */
const command = (items: readonly SourceItem[]) => testCommand(items, { origin, now: NOW });
const trade = (over: Record<string, unknown> = {}): SourceItem => ({
  kind: 'trade',
  data: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '7', price: '42000.10', quantity: '0.5', side: 'sell', eventTime: T0 + 1_000, ...over },
});
const asTrade = (data: unknown): SourceItem => ({ kind: 'trade', data });
const keyOf = (t: TradeData): string => `trade/${t.exchange}/${t.symbol}/${t.tradeId}`;

/** A trade with one field missing or of a type no field takes: rejected whatever else it holds. */
const brokenTradeArb: fc.Arbitrary<unknown> = fc
  .tuple(
    tradeArb(),
    fc.constantFrom('exchange', 'symbol', 'tradeId', 'price', 'quantity', 'side', 'eventTime'),
    fc.option(fc.oneof(fc.constant(null), fc.boolean(), fc.object(), fc.array(fc.anything())), { nil: undefined }),
  )
  .map(([t, field, bad]) => {
    const broken: Record<string, unknown> = { ...t };
    if (bad === undefined) delete broken[field];
    else broken[field] = bad;
    return broken;
  });

/** A valid trade whose event time is past the clock's allowed skew. */
const futureTradeArb = fc.tuple(tradeArb(), fc.integer({ min: 1, max: 86_400_000 })).map(([t, ahead]) => ({ ...t, eventTime: NOW + MAX_CLOCK_SKEW_MS + ahead }));

describe('RecordTrades', () => {
  it('given valid trades, when recorded, then each becomes a TradeObserved with its natural key in its symbol-day stream', () => {
    given().when(command([trade(), trade({ tradeId: '8' })])).then((events) => {
      expect(events.map((e) => [e.id, e.type, e.stream, e.dedupKey])).toEqual([
        ['id-1', 'TradeObserved', 'trades/binance/BTC-USDT/2024-01-01', 'trade/binance/BTC-USDT/7'],
        ['id-2', 'TradeObserved', 'trades/binance/BTC-USDT/2024-01-01', 'trade/binance/BTC-USDT/8'],
      ]);
      expect(events[0]!.data).toMatchObject({ price: '42000.10', quantity: '0.5', side: 'sell' });
      expect(events[0]!.meta).toEqual({ actor: 'tester', correlationId: 'corr-1', causationId: null, source: 'test' });
    });
  });

  it('given a batch that repeats a trade, then the repeat is dropped (first wins)', () => {
    given().when(command([trade(), trade({ price: '1' })])).then((events) => {
      expect(events).toHaveLength(1);
      expect((events[0]!.data as { price: string }).price).toBe('42000.10');
    });
  });

  it('given invalid trades, then each is kept as InputRejected with its reason and raw input', () => {
    given().when(command([trade({ price: 'abc' }), trade({ eventTime: T0 + 10 * 86_400_000 })])).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['InputRejected', 'InputRejected']);
      expect(events[0]!.data).toMatchObject({ source: 'test', reason: expect.stringMatching(/data\.price/) as unknown, receivedAt: NOW });
      expect((events[0]!.data as { raw: string }).raw).toContain('abc');
      expect((events[1]!.data as { reason: string }).reason).toMatch(/in the future/);
      expect(events[0]!.stream).toBe('rejected/test');
    });
  });

  it('given a trade within the allowed clock skew, then it is recorded; one millisecond past it, rejected', () => {
    given().when(command([trade({ eventTime: NOW + MAX_CLOCK_SKEW_MS }), trade({ tradeId: '8', eventTime: NOW + MAX_CLOCK_SKEW_MS + 1 })])).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['TradeObserved', 'InputRejected']);
    });
  });

  it('given a source-level rejection, then it is kept as InputRejected with the source reason', () => {
    given().when(command([{ kind: 'rejected', reason: 'line 3: not JSON', raw: '{oops' }])).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'InputRejected', data: { reason: 'line 3: not JSON', raw: '{oops' } });
    });
  });

  it('given an inconsistent kline, then it is rejected naming the broken rule', () => {
    given().when(command([
      { kind: 'candle', data: { exchange: 'binance', symbol: 'BTC-USDT', interval: '1m', openTime: T0, open: '10', high: '9', low: '8', close: '9', volume: '1', quoteVolume: '9', trades: 1 } },
    ])).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'InputRejected', data: { reason: expect.stringMatching(/low must be/) as unknown } });
    });
  });

  it('never loses an item: each valid trade is exactly one TradeObserved, each broken, future or source-rejected item exactly one InputRejected, each in-batch repeat dropped', () => {
    const batchArb = fc
      .record({
        trades: uniqueTradesArb(30),
        broken: fc.array(brokenTradeArb, { maxLength: 20 }),
        future: fc.array(futureTradeArb, { maxLength: 5 }),
        sourceRejections: fc.array(fc.record({ kind: fc.constant('rejected' as const), reason: fc.string({ minLength: 1 }), raw: fc.string() }), { maxLength: 5 }),
        repeatOf: fc.array(fc.nat(), { maxLength: 10 }),
      })
      .chain((b) => {
        const repeats = b.trades.length === 0 ? [] : b.repeatOf.map((i) => ({ ...b.trades[i % b.trades.length]!, quantity: '3' }));
        const items: SourceItem[] = [...b.trades.map(asTrade), ...b.broken.map(asTrade), ...b.future.map(asTrade), ...b.sourceRejections, ...repeats.map(asTrade)];
        return fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }).map((shuffled) => ({ ...b, repeats, items: shuffled }));
      });
    fc.assert(
      fc.property(batchArb, ({ trades, broken, future, sourceRejections, repeats, items }) => {
        given().when(command(items)).then((events) => {
          const accepted = events.filter((e) => e.type === 'TradeObserved');
          expect(accepted).toHaveLength(trades.length);
          expect(events.filter((e) => e.type === 'InputRejected')).toHaveLength(broken.length + future.length + sourceRejections.length);
          expect(events).toHaveLength(items.length - repeats.length);
          expect(new Set(accepted.map((e) => e.dedupKey))).toEqual(new Set(trades.map(keyOf)));
        });
      }),
    );
  });

  it('garbage never throws: each garbage item from a broken feed is exactly one event', () => {
    fc.assert(
      fc.property(fc.array(garbageArb, { maxLength: 30 }), (junk) => {
        given().when(command(junk.map(asTrade))).then((events) => {
          expect(events).toHaveLength(junk.length);
          for (const e of events) expect(['TradeObserved', 'InputRejected']).toContain(e.type);
        });
      }),
    );
  });
});

describe('RecordObservations: feed gaps, snapshots, sentiment', () => {
  const gap = { exchange: 'coinbase', symbol: 'BTC-USD', sequence: 'trade-id', lastSeen: 10, resumedAt: 14, missing: 3, detectedAt: T0 };
  it('given a gap and its healing, then both land in the symbol\'s gap stream with keys naming the hole; a repeat is dropped', () => {
    given().when(command([
      { kind: 'gap', data: gap },
      { kind: 'gap', data: gap },
      { kind: 'gapHealed', data: { exchange: 'coinbase', symbol: 'BTC-USD', sequence: 'trade-id', lastSeen: 10, resumedAt: 14, recovered: 3, healedAt: T0 + 5 } },
    ])).then((events) => {
      expect(events.map((e) => [e.type, e.stream, e.dedupKey])).toEqual([
        ['FeedGapDetected', 'gaps/coinbase/BTC-USD', 'gap:coinbase:BTC-USD:trade-id:10-14'],
        ['FeedGapHealed', 'gaps/coinbase/BTC-USD', 'gap-healed:coinbase:BTC-USD:trade-id:10-14'],
      ]);
    });
  });

  it('given a snapshot and a sentiment minute, then each is recorded under its subject; invalid ones are rejected with a reason', () => {
    const snapshot = { provider: 'coingecko', assetId: 'bitcoin', symbol: 'BTC-USD', priceUsd: '70000', marketCapUsd: '1380000000000', volume24hUsd: '20000000000', rank: 1, eventTime: T0 };
    const sentiment = { provider: 'file', symbol: 'BTC-USD', minute: T0, score: 0.25, posts: 4 };
    given().when(command([
      { kind: 'snapshot', data: snapshot },
      { kind: 'sentiment', data: sentiment },
      { kind: 'snapshot', data: { ...snapshot, priceUsd: 'lots' } },
      { kind: 'gap', data: { ...gap, missing: -1 } },
    ])).then((events) => {
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
});

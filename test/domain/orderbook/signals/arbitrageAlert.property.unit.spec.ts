/**
 * The cross-exchange arbitrage alert fold: given books, when they change, then these signals
 * (examples), and for any sequence of books: one raise per episode, never a raise before the edge
 * has lasted minDurationMs, a resolve only after a raise of the same key, and the evidence is the
 * two exchanges' books whose touches make the edge.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createArbitrageAlertFold, DEFAULT_ARBITRAGE_ALERT_PARAMS, type ArbitrageSignal, type ExchangeBook } from '../../../../src/domain/orderbook/signals/arbitrageAlert.js';

const book = (exchange: string, eventTime: number, bid: string, ask: string, qty = '1'): ExchangeBook => ({ exchange, eventTime, bids: [[bid, qty]], asks: [[ask, qty]] });

/** Given the fold has seen these rows, when this row comes, then these signals. */
const given = (rows: ReadonlyArray<readonly [number, readonly ExchangeBook[]]>, params = DEFAULT_ARBITRAGE_ALERT_PARAMS) => {
  const fold = createArbitrageAlertFold(params);
  for (const [t, books] of rows) fold.onBooks('BTC-USDT', t, books);
  return { when: (t: number, books: readonly ExchangeBook[]) => ({ then: (check: (s: readonly ArbitrageSignal[]) => void) => check(fold.onBooks('BTC-USDT', t, books)) }) };
};

describe('arbitrage alert fold: given / when / then', () => {
  it('an edge beyond both fees that lasts minDurationMs raises once, with both books as evidence', () => {
    // okx bids 100.50, kraken asks 100.00: 50 bps gross, 30 bps after 10 bps a leg.
    const crossed = (t: number): ExchangeBook[] => [book('kraken', t, '99.90', '100.00'), book('okx', t, '100.50', '100.60')];
    given([[0, crossed(0)], [1_000, crossed(1_000)]])
      .when(2_000, crossed(2_000))
      .then((s) => {
        expect(s).toHaveLength(1);
        expect(s[0]).toMatchObject({ kind: 'raised', key: 'buy-kraken-sell-okx:BTC-USDT', episodeStart: 0, eventTime: 2_000 });
        expect(s[0]!.evidence).toMatchObject({ buyOn: 'kraken', sellOn: 'okx', buyAt: 100, sellAt: 100.5, books: crossed(2_000) });
        expect((s[0]!.evidence as unknown as { edgeBps: number }).edgeBps).toBeCloseTo((100.5 * 0.999 - 100 * 1.001) / 100 * 10_000, 9);
      });
    given([[0, crossed(0)], [2_000, crossed(2_000)]]).when(3_000, crossed(3_000)).then((s) => expect(s).toEqual([]));
  });

  it('an edge shorter than minDurationMs, or within the fees, raises nothing', () => {
    const crossed = (t: number): ExchangeBook[] => [book('kraken', t, '99.90', '100.00'), book('okx', t, '100.50', '100.60')];
    const apart = (t: number): ExchangeBook[] => [book('kraken', t, '99.90', '100.00'), book('okx', t, '99.95', '100.05')];
    given([[0, crossed(0)], [1_500, apart(1_500)]]).when(2_500, crossed(2_500)).then((s) => expect(s).toEqual([]));
    // 15 bps gross is under 20 bps of fees.
    const thin = (t: number): ExchangeBook[] => [book('kraken', t, '99.90', '100.00'), book('okx', t, '100.15', '100.20')];
    given([[0, thin(0)]]).when(10_000, thin(10_000)).then((s) => expect(s).toEqual([]));
  });

  it('a raised edge that closes resolves once; a stale book takes no part', () => {
    const crossed = (t: number): ExchangeBook[] => [book('kraken', t, '99.90', '100.00'), book('okx', t, '100.50', '100.60')];
    given([[0, crossed(0)], [2_000, crossed(2_000)]])
      .when(3_000, [book('kraken', 3_000, '99.90', '100.00'), book('okx', 3_000, '100.00', '100.10')])
      .then((s) => expect(s.map((x) => [x.kind, x.key, x.episodeStart])).toEqual([['resolved', 'buy-kraken-sell-okx:BTC-USDT', 0]]));
    // okx's last row is 20 s old: its quote is not tradable.
    given([[0, crossed(0)]])
      .when(20_000, [book('kraken', 20_000, '99.90', '100.00'), book('okx', 0, '100.50', '100.60')])
      .then((s) => expect(s).toEqual([]));
  });
});

const exchanges = ['kraken', 'okx', 'bybit'] as const;
const rowArb = fc.record({
  dt: fc.integer({ min: 0, max: 1_500 }),
  quotes: fc.tuple(...exchanges.map(() => fc.record({ mid: fc.integer({ min: 9_900, max: 10_100 }), half: fc.integer({ min: 1, max: 5 }), age: fc.integer({ min: 0, max: 15_000 }) }))),
});

describe('arbitrage alert fold: properties', () => {
  it('one raise per episode, after minDurationMs, a resolve only after its raise, evidence of the two books that make the edge', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 60 }), fc.integer({ min: 0, max: 5_000 }), (rows, minDurationMs) => {
        const params = { ...DEFAULT_ARBITRAGE_ALERT_PARAMS, minDurationMs };
        const fold = createArbitrageAlertFold(params);
        const raised = new Map<string, number>();
        let t = 0;
        for (const r of rows) {
          t += r.dt;
          const books = r.quotes.map((q, i) => book(exchanges[i]!, t - q.age, ((q.mid - q.half) / 100).toFixed(2), ((q.mid + q.half) / 100).toFixed(2)));
          for (const s of fold.onBooks('BTC-USDT', t, books)) {
            if (s.kind === 'raised') {
              expect(raised.has(s.key)).toBe(false);
              expect(s.eventTime - s.episodeStart).toBeGreaterThanOrEqual(minDurationMs);
              raised.set(s.key, s.episodeStart);
              const e = s.evidence as unknown as { buyOn: string; sellOn: string; edgeBps: number; books: ExchangeBook[] };
              expect(e.edgeBps).toBeGreaterThan(params.minEdgeBps);
              expect(e.books.map((b) => b.exchange).sort()).toEqual([e.buyOn, e.sellOn].sort());
              for (const b of e.books) expect(t - b.eventTime).toBeLessThanOrEqual(params.maxAgeMs);
              const bid = Number(e.books.find((b) => b.exchange === e.sellOn)!.bids[0]![0]);
              const ask = Number(e.books.find((b) => b.exchange === e.buyOn)!.asks[0]![0]);
              expect(bid * (1 - params.feeBps / 10_000)).toBeGreaterThan(ask * (1 + params.feeBps / 10_000));
            } else {
              expect(raised.get(s.key)).toBe(s.episodeStart);
              raised.delete(s.key);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the same rows split across symbols give each symbol the signals it gives alone', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), rowArb), { maxLength: 40 }), (rows) => {
        const together = createArbitrageAlertFold();
        const alone = { A: createArbitrageAlertFold(), B: createArbitrageAlertFold() };
        let t = 0;
        for (const [first, r] of rows) {
          t += r.dt;
          const symbol = first ? 'A' : 'B';
          const books = r.quotes.map((q, i) => book(exchanges[i]!, t - q.age, ((q.mid - q.half) / 100).toFixed(2), ((q.mid + q.half) / 100).toFixed(2)));
          expect(together.onBooks(symbol, t, books)).toEqual(alone[symbol].onBooks(symbol, t, books));
        }
      }),
      { numRuns: 200 },
    );
  });
});

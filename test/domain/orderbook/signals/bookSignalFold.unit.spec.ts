/**
 * The book detectors as registered rules: their params are checked at registration with the
 * reason named; given a rule, when the rows come, then what it raises follows its params, symbols
 * and severity and names its id; a retired rule raises nothing; and the trade alert engine
 * leaves book rules alone.
 */
import { describe, expect, it } from 'vitest';
import { generateBookScenario, type BookScenario } from '../../../../src/adapters/sources/simulator/bookGenerator.js';
import { createAlertFold, type AlertOutput } from '../../../../src/domain/detectors/alertFold.js';
import { checkDetectorParams } from '../../../../src/domain/detectors/catalogue.js';
import type { DomainEvent } from '../../../../src/domain/events/catalogue.js';
import type { BookRow } from '../../../../src/domain/orderbook/archive/bookRow.js';
import { OrderBook } from '../../../../src/domain/orderbook/orderBook.js';
import type { ExchangeBook } from '../../../../src/domain/orderbook/signals/arbitrageAlert.js';
import { createBookSignalFold, type BookSignalFold } from '../../../../src/domain/orderbook/signals/bookSignalFold.js';

const T0 = Date.UTC(2024, 0, 1);
const meta = { recordedAt: 0, actor: 't', correlationId: 'c', causationId: null, source: 'test' };
let position = 0;
const event = (type: string, data: object): DomainEvent =>
  ({ position: ++position, id: `e${position}`, type, schemaVersion: 1, stream: 's', streamVersion: 1, data, meta, dedupKey: null, leafHash: '' }) as DomainEvent;

interface Rule {
  readonly ruleId: string;
  readonly detector: 'spoofing' | 'book-arbitrage';
  readonly symbols?: '*' | string[];
  readonly severity?: 'info' | 'warning' | 'critical';
  readonly params?: Record<string, number>;
}

/** A rule as registration records it: params checked, defaults filled in. */
const registered = (r: Rule): DomainEvent => {
  const params = checkDetectorParams(r.detector, r.params ?? {});
  if (!params.ok) throw new Error(params.reason);
  return event('AlertRuleRegistered', { ruleId: r.ruleId, detector: r.detector, symbols: r.symbols ?? '*', severity: r.severity ?? 'warning', params: params.value });
};

const foldWith = (...events: DomainEvent[]): BookSignalFold => {
  const fold = createBookSignalFold();
  for (const e of events) fold.apply(e);
  return fold;
};

/** One injected spoofing episode on okx BTC-USDT, three simulated minutes. */
const spoofed: BookScenario = generateBookScenario({ seed: 5, exchange: 'okx', symbol: 'BTC-USDT', start: T0, durationMs: 180_000, stepMs: 100, episodes: 1, rounds: 4 });

const raisedOver = (fold: BookSignalFold, s: BookScenario): AlertOutput[] => {
  const book = new OrderBook('okx', 'BTC-USDT');
  const out: AlertOutput[] = [];
  for (const item of s.items) {
    const row = { ...item, origin: 'exchange' } as BookRow;
    if (row.kind === 'bookSnapshot') book.replace(row.data.bids, row.data.asks);
    else book.change(row.data.bids, row.data.asks);
    out.push(...fold.onRow(row, book, () => undefined));
  }
  return out;
};

describe('book detector params at registration', () => {
  it('accepts spoofing and book-arbitrage with their defaults filled in', () => {
    expect(checkDetectorParams('spoofing', { minRepeats: 4 })).toEqual({ ok: true, value: { sizeMultiple: 5, referenceLevels: 10, nearTouchBps: 25, maxLifetimeMs: 5_000, minRepeats: 4, windowMs: 60_000 } });
    expect(checkDetectorParams('book-arbitrage', {})).toEqual({ ok: true, value: { feeBps: 10, minEdgeBps: 0, minDurationMs: 2_000, maxAgeMs: 10_000 } });
  });

  it('refuses bad params with the reason', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['spoofing', { sizeMultiple: 1 }, /^params\.sizeMultiple: expected a number from 1\.5 to 1000 .*got 1$/],
      ['spoofing', { minRepeats: 2.5 }, /^params\.minRepeats: expected an integer from 2 to 100/],
      ['spoofing', { windowMs: '60s' }, /^params\.windowMs: expected an integer .*got "60s"/],
      ['spoofing', { feeBps: 10 }, /^params\.feeBps: spoofing has no such param \(known: sizeMultiple, /],
      ['book-arbitrage', { feeBps: -1 }, /^params\.feeBps: expected a number from 0 to 500/],
      ['book-arbitrage', { maxAgeMs: 50 }, /^params\.maxAgeMs: expected an integer from 100 to 3600000/],
      ['spoofer', {}, /^detector: unknown "spoofer" \(known: .*spoofing, book-arbitrage\)$/],
    ];
    for (const [detector, params, reason] of cases) {
      const checked = checkDetectorParams(detector, params);
      expect(checked.ok, `${detector} ${JSON.stringify(params)}`).toBe(false);
      if (!checked.ok) expect(checked.reason).toMatch(reason);
    }
  });
});

describe('book rules: given a registered rule, when the rows come, then', () => {
  it('the spoofing episode is raised under the rule, with its id, detector and severity', () => {
    const raised = raisedOver(foldWith(registered({ ruleId: 'desk-spoofing', detector: 'spoofing', severity: 'critical' })), spoofed);
    expect(raised.length).toBeGreaterThanOrEqual(1);
    for (const a of raised) {
      expect(a.data).toMatchObject({ ruleId: 'desk-spoofing', detector: 'spoofing', severity: 'critical', symbol: 'BTC-USDT' });
      expect(a.data.alertId.startsWith('desk-spoofing.okx:BTC-USDT:')).toBe(true);
    }
  });

  it("a stricter rule's params raise less on the same rows, and each rule keeps its own detectors", () => {
    const fold = foldWith(
      registered({ ruleId: 'loose', detector: 'spoofing' }),
      registered({ ruleId: 'huge-only', detector: 'spoofing', params: { sizeMultiple: 1_000 } }),
      registered({ ruleId: 'many-repeats', detector: 'spoofing', params: { minRepeats: 100 } }),
    );
    const rules = raisedOver(fold, spoofed).map((a) => a.data.ruleId);
    expect(rules.length).toBeGreaterThanOrEqual(1);
    expect(new Set(rules)).toEqual(new Set(['loose']));
  });

  it('a rule watches only its symbols', () => {
    expect(raisedOver(foldWith(registered({ ruleId: 'eth', detector: 'spoofing', symbols: ['ETH-USDT'] })), spoofed)).toEqual([]);
    expect(raisedOver(foldWith(registered({ ruleId: 'btc', detector: 'spoofing', symbols: ['ETH-USDT', 'BTC-USDT'] })), spoofed).length).toBeGreaterThanOrEqual(1);
  });

  it('a retired rule raises nothing, and another rule is not affected', () => {
    const fold = foldWith(registered({ ruleId: 'gone', detector: 'spoofing' }), registered({ ruleId: 'kept', detector: 'spoofing' }), event('AlertRuleRetired', { ruleId: 'gone', reason: 'test' }));
    expect(fold.activeRules()).toBe(1);
    const raised = raisedOver(fold, spoofed);
    expect(raised.length).toBeGreaterThanOrEqual(1);
    expect(raised.every((a) => a.data.ruleId === 'kept')).toBe(true);
  });

  it("an arbitrage rule raises with its own fees: the same edge is an alert under 10 bps a leg, none under 30", () => {
    // gemini bids 100.50, bitstamp asks 100.00: 50 bps gross.
    const books: ExchangeBook[] = [
      { exchange: 'bitstamp', eventTime: T0, bids: [['99.90', '2']], asks: [['100.00', '1']] },
      { exchange: 'gemini', eventTime: T0, bids: [['100.50', '1']], asks: [['100.60', '1']] },
    ];
    const fold = foldWith(
      registered({ ruleId: 'arb', detector: 'book-arbitrage', severity: 'info', params: { minDurationMs: 0 } }),
      registered({ ruleId: 'arb-dear', detector: 'book-arbitrage', params: { minDurationMs: 0, feeBps: 30 } }),
    );
    const row = { kind: 'bookSnapshot', origin: 'exchange', data: { exchange: 'gemini', symbol: 'BTC-USDT', eventTime: T0, bids: [['100.50', '1']], asks: [['100.60', '1']] } } as BookRow;
    const raised = fold.onRow(row, new OrderBook('gemini', 'BTC-USDT'), () => books);
    expect(raised.map((a) => [a.type, a.data.ruleId, a.data.alertId])).toEqual([['AlertRaised', 'arb', `arb.buy-bitstamp-sell-gemini:BTC-USDT.${T0}`]]);
    expect(raised[0]!.data).toMatchObject({ detector: 'book-arbitrage', severity: 'info' });
  });
});

describe('the trade alert engine and book rules', () => {
  it('leaves a book rule to the book signals: registering one starts no trade detector', () => {
    const fold = createAlertFold({ allowedLatenessMs: 1_000 });
    fold.apply(registered({ ruleId: 'book', detector: 'spoofing' }));
    expect(fold.activeRules()).toBe(0);
  });
});

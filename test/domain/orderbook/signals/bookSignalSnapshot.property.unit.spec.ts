/**
 * The book signals' snapshot: folding rows A, saving the fold as text (encodeSnapshot), restoring
 * it and folding rows B gives exactly the alerts of folding A then B, wherever the cuts fall and
 * however many there are (a restart at any row: an episode in progress across it is raised once,
 * neither lost nor twice). And a snapshot that is not one is refused with the reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertOutput } from '../../../../src/domain/detectors/alertFold.js';
import { checkDetectorParams } from '../../../../src/domain/detectors/catalogue.js';
import { decodeSnapshot, encodeSnapshot } from '../../../../src/domain/detectors/snapshotCodec.js';
import type { DomainEvent } from '../../../../src/domain/events/catalogue.js';
import type { BookRow } from '../../../../src/domain/orderbook/archive/bookRow.js';
import { OrderBook } from '../../../../src/domain/orderbook/orderBook.js';
import type { ExchangeBook } from '../../../../src/domain/orderbook/signals/arbitrageAlert.js';
import { createBookSignalFold, restoreBookSignalFold, type BookSignalFold } from '../../../../src/domain/orderbook/signals/bookSignalFold.js';
import { busyBookItems } from '../../../support/bookSignalRows.js';

const T0 = Date.UTC(2024, 0, 1);
const MINUTES = 3;
const meta = { recordedAt: 0, actor: 't', correlationId: 'c', causationId: null, source: 'test' };

const rule = (position: number, ruleId: string, detector: 'spoofing' | 'book-arbitrage', params: Record<string, number>): DomainEvent => {
  const checked = checkDetectorParams(detector, params);
  if (!checked.ok) throw new Error(checked.reason);
  const data = { ruleId, detector, symbols: '*', severity: 'warning', params: checked.value };
  return { position, id: `e${position}`, type: 'AlertRuleRegistered', schemaVersion: 1, stream: 's', streamVersion: 1, data, meta, dedupKey: null, leafHash: '' } as DomainEvent;
};
const RULES = [
  rule(1, 'spoof', 'spoofing', {}),
  rule(2, 'spoof-twice', 'spoofing', { minRepeats: 2, windowMs: 20_000 }),
  rule(3, 'arb', 'book-arbitrage', { feeBps: 0, minDurationMs: 1_500 }),
];

const ROWS: BookRow[] = busyBookItems(T0, MINUTES * 60_000).map((i) => ({ ...i, origin: 'exchange' }) as BookRow);

/** Folds ROWS, the fold saved as text and restored from it just before each row of `cuts`. */
const foldAcross = (cuts: ReadonlySet<number>): { out: AlertOutput[]; fold: BookSignalFold } => {
  let fold: BookSignalFold = createBookSignalFold();
  for (const e of RULES) fold.apply(e);
  const books = new Map<string, { book: OrderBook; eventTime: number }>();
  const out: AlertOutput[] = [];
  ROWS.forEach((row, i) => {
    if (cuts.has(i)) {
      const decoded = decodeSnapshot(encodeSnapshot(fold.snapshot()));
      const restored = decoded.ok ? restoreBookSignalFold(decoded.value) : decoded;
      if (!restored.ok) throw new Error(restored.reason);
      fold = restored.fold;
    }
    const { exchange, eventTime } = row.data;
    let b = books.get(exchange);
    if (b === undefined) books.set(exchange, (b = { book: new OrderBook(exchange, 'BTC-USDT'), eventTime }));
    if (row.kind === 'bookSnapshot') b.book.replace(row.data.bids, row.data.asks);
    else b.book.change(row.data.bids, row.data.asks);
    b.eventTime = eventTime;
    const booksOfSymbol = (): ExchangeBook[] => [...books].map(([x, h]) => ({ exchange: x, eventTime: h.eventTime, ...h.book.top(5) }));
    out.push(...fold.onRow(row, b.book, booksOfSymbol));
  });
  return { out, fold };
};

const uninterrupted = foldAcross(new Set()).out;

describe('book signal fold snapshots', () => {
  it('the rows raise spoofing and arbitrage alerts, and resolve arbitrage ones (what the property below compares)', () => {
    const byRule = (id: string, type: string) => uninterrupted.filter((o) => o.data.ruleId === id && o.type === type).length;
    expect(byRule('spoof', 'AlertRaised')).toBeGreaterThanOrEqual(2);
    expect(byRule('spoof-twice', 'AlertRaised')).toBeGreaterThanOrEqual(2);
    expect(byRule('arb', 'AlertRaised')).toBeGreaterThanOrEqual(2);
    expect(byRule('arb', 'AlertResolved')).toBeGreaterThanOrEqual(1);
  });

  it('restoring a snapshot taken at any rows continues exactly as the fold that was never saved', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: ROWS.length - 1 }), { minLength: 1, maxLength: 6 }), (cuts) => {
        expect(foldAcross(new Set(cuts)).out).toEqual(uninterrupted);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses what is not a snapshot of this fold, naming why', () => {
    const saved = foldAcross(new Set()).fold.snapshot() as { version: number; rules: unknown[] };
    const cases: Array<[unknown, RegExp]> = [
      [null, /root: expected an object/],
      [{ ...saved, version: 99 }, /version: expected 1/],
      [{ ...saved, rules: [['spoof', { rule: { ruleId: 'spoof' }, state: {} }]] }, /rules\[0\]\[1\]\.rule: expected a registered rule/],
      [{ ...saved, rules: [[...(saved.rules[0] as unknown[]).slice(0, 1), { ...((saved.rules[0] as unknown[])[1] as object), state: { books: [['okx:BTC-USDT', { bids: {}, asks: {} }]] } }]] }, /rules\[0\]\[1\]\.state\.books\[0\]\[1\]\.bids\.tracked: expected an array/],
    ];
    for (const [snapshot, reason] of cases) {
      const r = restoreBookSignalFold(snapshot);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });
});

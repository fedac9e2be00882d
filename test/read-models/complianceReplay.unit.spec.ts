/**
 * Compliance replay over trades and the exchanges' 1m candles (klines): what was known at T
 * (recorded by T) beside what is true now, a minute known from both counted once, a candle
 * counted once its minute has closed by T, and a symbol-day with nothing a NotFoundError.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import type { NewEvent } from '../../src/domain/events/envelope.js';
import { isNotFoundError } from '../../src/domain/errors.js';
import type { Ledger } from '../../src/domain/ports.js';
import { candleStream, candleKey, correctionStream, tradeStream } from '../../src/domain/streams.js';
import { replayAsOf } from '../../src/read-models/complianceReplay.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';
import { provenEventAt } from '../support/provenEvent.js';

const DAY = '2023-02-01';
const at = (hhmmss: string): number => Date.parse(`${DAY}T${hhmmss}Z`);
const T = at('12:00:00');
const SYMBOL = 'BTC-USDT';
const origin = { actor: 'test', correlationId: 'c', causationId: null, source: 'test' };
let n = 0;

const kline = (exchange: string, open: string, o: string, h: string, l: string, c: string, volume: string): NewEvent => {
  const data = { exchange, symbol: SYMBOL, interval: '1m', openTime: at(open), open: o, high: h, low: l, close: c, volume, quoteVolume: '0', trades: 10 };
  return { id: `k-${++n}`, type: 'CandleObserved', schemaVersion: 1, stream: candleStream(exchange, SYMBOL, data.openTime), data, meta: origin, dedupKey: candleKey(data) };
};
const trade = (exchange: string, time: string, tradeId: string, price: string, quantity: string): NewEvent => {
  const data = { exchange, symbol: SYMBOL, tradeId, price, quantity, side: 'buy', eventTime: at(time) };
  return { id: `t-${++n}`, type: 'TradeObserved', schemaVersion: 1, stream: tradeStream(exchange, SYMBOL, data.eventTime), data, meta: origin, dedupKey: `trade/${exchange}/${SYMBOL}/${tradeId}` };
};

/** A ledger whose clock is set before each append: what "recorded at" means in the test. */
const ledgers: Ledger[] = [];
const ledgerAt = (): { ledger: Ledger; appendAt: (recordedAt: number, events: NewEvent[]) => Promise<void> } => {
  let now = 0;
  const ledger = openSqliteLedger({ path: ':memory:', clock: { now: () => now }, signer: TEST_LEDGER_SIGNER });
  ledgers.push(ledger);
  return {
    ledger,
    appendAt: async (recordedAt, events) => {
      now = recordedAt;
      await ledger.append(events);
    },
  };
};
afterEach(async () => {
  await Promise.all(ledgers.splice(0).map((l) => l.close()));
});

describe('compliance replay over candles', () => {
  it('folds closed 1m candles as of T; a minute with a candle and trades counts once; a candle recorded later is a late arrival', async () => {
    const { ledger, appendAt } = ledgerAt();
    // Recorded as they happened: the 11:58 and 11:59 candles (the 11:59 minute also has a trade on the same exchange),
    // and the 12:00 candle, whose minute has not closed at T.
    await appendAt(at('12:00:00') - 1, [
      kline('binance', '11:58:00', '100', '110', '95', '105', '2'),
      trade('binance', '11:59:30', '7', '130', '9'),
      kline('binance', '11:59:00', '105', '120', '101', '115', '3'),
    ]);
    await appendAt(at('12:01:00'), [kline('binance', '12:00:00', '115', '500', '1', '400', '50')]);
    // Learned the next day: the 11:57 candle of another exchange.
    await appendAt(at('23:00:00'), [kline('binance-futures', '11:57:00', '90', '99', '80', '98', '4')]);

    const a = await replayAsOf(ledger, SYMBOL, T);
    expect(a.day).toBe(DAY);
    expect(a.asRecorded).toMatchObject({ trades: 1, candles: 2, dayToT: { open: 100, high: 120, low: 95, close: 115, volume: 5 } });
    expect(a.asRecorded.lastByExchange).toEqual({ binance: { price: '115', eventTime: at('11:59:59') + 999, tradeId: null, position: 3 } });
    expect(a.validNow).toMatchObject({ trades: 1, candles: 3, dayToT: { open: 90, high: 120, low: 80, close: 115, volume: 9 } });
    expect(a.validNow.lastByExchange['binance-futures']).toEqual({ price: '98', eventTime: at('11:57:59') + 999, tradeId: null, position: 5 });
    // Each last price names its event by position: the proof at it carries that very candle.
    for (const [exchange, l] of Object.entries(a.validNow.lastByExchange)) {
      expect((await provenEventAt(ledger, l.position)).data).toMatchObject({ exchange, close: l.price });
    }
    expect(a.lateArrivals).toBe(1);
  });

  it('a candle imported long after its day is known only "valid now": as recorded then, nothing', async () => {
    const { ledger, appendAt } = ledgerAt();
    await appendAt(Date.parse('2026-01-01T00:00:00Z'), [kline('binance-futures', '11:00:00', '100', '101', '99', '100.5', '1')]);
    const a = await replayAsOf(ledger, SYMBOL, T);
    expect(a.asRecorded).toMatchObject({ trades: 0, candles: 0, dayToT: null, lastByExchange: {} });
    expect(a.validNow).toMatchObject({ candles: 1, dayToT: { close: 100.5 } });
    expect(a.lateArrivals).toBe(1);
  });

  it('answers the same whatever order the candles and trades were appended in', async () => {
    const events = [
      kline('binance', '11:58:00', '100', '110', '95', '105', '2'),
      kline('binance', '11:59:00', '105', '120', '101', '115', '3'),
      kline('binance-futures', '11:59:00', '104', '119', '100', '114', '6'),
      trade('binance', '11:59:30', '7', '130', '9'),
      trade('binance', '11:20:00', '3', '99', '1'),
      trade('coinbase', '11:40:00', '3', '98', '1.5'),
    ];
    const answers: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(events, { minLength: events.length }), async (order) => {
        const { ledger, appendAt } = ledgerAt();
        for (const e of order) await appendAt(at('11:00:00'), [{ ...e, id: `${e.id}-${++n}` }]);
        const a = await replayAsOf(ledger, SYMBOL, T);
        // Positions follow the order of appends; everything else must not.
        const lasts = Object.entries(a.validNow.lastByExchange).map(([exchange, l]) => [exchange, { ...l, position: 0 }]);
        answers.push(JSON.stringify({ ...a.validNow, throughPosition: 0, lastByExchange: Object.fromEntries(lasts) }));
        await ledger.close();
        ledgers.splice(ledgers.indexOf(ledger), 1);
      }),
      { numRuns: 8 },
    );
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0]!)).toMatchObject({ trades: 3, candles: 3, dayToT: { open: 99, close: 115, volume: 13.5 } });
  });

  it('a correction recorded after T is listed with the position it was recorded at, and that position holds it', async () => {
    const { ledger, appendAt } = ledgerAt();
    await appendAt(T - 1_000, [trade('binance', '11:00:00', '7', '100', '1'), trade('binance', '11:30:00', '8', '200', '1')]);
    await appendAt(T + 1_000, [trade('binance', '11:45:00', '9', '150', '1')]);
    const correction = { correctionId: 'fix-8', action: 'void', target: { exchange: 'binance', symbol: SYMBOL, tradeId: '8' }, reason: 'busted' };
    await appendAt(T + 2_000, [{ id: `c-${++n}`, type: 'CorrectionIssued', schemaVersion: 1, stream: correctionStream(SYMBOL), data: correction, meta: origin }]);
    const head = (await ledger.head()).position;
    const a = await replayAsOf(ledger, SYMBOL, T);
    expect(a.correctedSince).toEqual([{ ...correction, position: head }]);
    const [recorded] = await ledger.read(head - 1, 1);
    expect(recorded!.data).toEqual(correction);
    expect(a.asRecorded.dayToT).toMatchObject({ high: 200 });
    expect(a.validNow.dayToT).toMatchObject({ high: 150 });
    expect(a.asRecorded.correctionsApplied).toEqual([]);
    expect(a.validNow.correctionsApplied).toEqual([{ correctionId: 'fix-8', position: head }]);
    expect((await provenEventAt(ledger, head)).data).toEqual(correction);
  });

  it('a trade replaced by a correction is named by the correction that gave its price; the others by their own events', async () => {
    const { ledger, appendAt } = ledgerAt();
    const kept = trade('coinbase', '11:10:00', '1', '100', '1');
    const replaced = trade('binance', '11:20:00', '2', '200', '1');
    await appendAt(T - 2_000, [kept, replaced]);
    const correction = {
      correctionId: 'fix-2', action: 'replace', target: { exchange: 'binance', symbol: SYMBOL, tradeId: '2' },
      replacement: { price: '210', quantity: '1', side: 'buy', eventTime: at('11:20:00') }, reason: 'misprint',
    };
    const fix: NewEvent = { id: `c-${++n}`, type: 'CorrectionIssued', schemaVersion: 1, stream: correctionStream(SYMBOL), data: correction, meta: origin };
    await appendAt(T - 1_000, [fix]);
    const a = await replayAsOf(ledger, SYMBOL, T);
    const named = Object.fromEntries(await Promise.all(Object.entries(a.asRecorded.lastByExchange).map(async ([ex, l]) => [ex, [l.price, (await provenEventAt(ledger, l.position)).id]])));
    expect(named).toEqual({ coinbase: ['100', kept.id], binance: ['210', fix.id] });
    const [applied] = a.asRecorded.correctionsApplied;
    expect((await provenEventAt(ledger, applied!.position)).id).toBe(fix.id);
  });

  it('a symbol-day with neither trades nor candles is a NotFoundError naming both', async () => {
    const { ledger } = ledgerAt();
    const error = await replayAsOf(ledger, SYMBOL, T).catch((e: unknown) => e);
    expect(isNotFoundError(error)).toBe(true);
    expect(String((error as Error).message)).toContain(`no trades or candles of ${SYMBOL} on ${DAY}`);
  });
});

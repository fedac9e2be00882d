/** IssueCorrection decisions, given / when / then. */
import { describe, expect, it } from 'vitest';
import { decideIssueCorrection, type CorrectionState } from '../../src/commands/issueCorrection.js';
import { isCommandRejectedError, isInvalidInputError, isNotFoundError } from '../../src/domain/errors.js';
import type { TradeData } from '../../src/domain/events/market.js';
import { T0 } from '../support/arbitraries.js';

const origin = { actor: 'alice@desk', correlationId: 'req-9', source: 'api' };
const original: TradeData = { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '42', price: '100', quantity: '1', side: 'buy', eventTime: T0 + 5_000 };
const target = { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '42' };
const ids = () => {
  let n = 0;
  return { nextId: () => `id-${++n}` };
};
const given = (state: Partial<CorrectionState> = {}): CorrectionState => ({ original, corrections: [], version: 0, ...state });

describe('IssueCorrection', () => {
  it('given a recorded trade, when voided, then CorrectionIssued and a RecomputeRequested for its day are appended, caused by the correction', () => {
    const events = decideIssueCorrection({ target, action: 'void', reason: 'exchange busted the trade' }, given(), origin, ids());
    expect(events.map((e) => e.type)).toEqual(['CorrectionIssued', 'RecomputeRequested']);
    expect(events[0]!.data).toMatchObject({ action: 'void', target, reason: 'exchange busted the trade' });
    expect(events[1]!.data).toMatchObject({ symbol: 'BTC-USDT', fromDay: '2024-01-01', toDay: '2024-01-01' });
    expect(events[1]!.meta.causationId).toBe(events[0]!.id);
    expect(events[0]!.meta.actor).toBe('alice@desk');
  });

  it('given a replacement that moves the trade to the next day, then both days are recomputed', () => {
    const replacement = { price: '101', quantity: '1', side: 'buy', eventTime: T0 + 86_400_000 + 1 };
    const events = decideIssueCorrection({ target, action: 'replace', replacement, reason: 'late print' }, given(), origin, ids());
    expect(events[1]!.data).toMatchObject({ fromDay: '2024-01-01', toDay: '2024-01-02' });
  });

  it('given no such trade, then NotFound', () => {
    expect(() => decideIssueCorrection({ target, action: 'void', reason: 'x' }, given({ original: undefined }), origin, ids())).toSatisfy(
      (f: () => unknown) => {
        try {
          f();
          return false;
        } catch (e) {
          return isNotFoundError(e);
        }
      },
    );
  });

  it('given a malformed command, then InvalidInput names what is wrong', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ target, action: 'replace', reason: 'x' }, /replacement/],
      [{ target, action: 'void', reason: 'x', replacement: { price: '1', quantity: '1', side: 'buy', eventTime: T0 } }, /takes no replacement/],
      [{ target: { ...target, symbol: 'btc' }, action: 'void', reason: 'x' }, /target\.symbol/],
      [{ target, action: 'delete', reason: 'x' }, /action/],
      [{ target, action: 'void' }, /reason/],
    ];
    for (const [input, message] of cases) {
      try {
        decideIssueCorrection(input, given(), origin, ids());
        expect.unreachable();
      } catch (e) {
        expect(isInvalidInputError(e)).toBe(true);
        expect((e as Error).message).toMatch(message);
      }
    }
  });

  it('given the trade is already void, when voided again, then the command is rejected', () => {
    const state = given({ corrections: [{ correctionId: 'c1', action: 'void', target, reason: 'x' }], version: 1 });
    try {
      decideIssueCorrection({ target, action: 'void', reason: 'again' }, state, origin, ids());
      expect.unreachable();
    } catch (e) {
      expect(isCommandRejectedError(e)).toBe(true);
    }
  });

  it('given the same correctionId was already issued, then nothing is appended (an idempotent retry)', () => {
    const state = given({ corrections: [{ correctionId: 'c1', action: 'void', target, reason: 'x' }], version: 1 });
    expect(decideIssueCorrection({ correctionId: 'c1', target, action: 'void', reason: 'x' }, state, origin, ids())).toEqual([]);
  });
});

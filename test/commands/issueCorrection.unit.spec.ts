/** IssueCorrection decisions, given / when / then. */
import { describe, expect, it } from 'vitest';
import { issueCorrectionDecider } from '../../src/commands/issueCorrection.js';
import type { Fact } from '../../src/domain/decider.js';
import { CommandRejectedError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import type { TradeData } from '../../src/domain/events/market.js';
import { T0 } from '../support/arbitraries.js';
import { command, deciderSpec } from '../support/decider.js';

const { given } = deciderSpec(issueCorrectionDecider);
const origin = { actor: 'alice@desk', correlationId: 'req-9', source: 'api' };
const original: TradeData = { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '42', price: '100', quantity: '1', side: 'buy', eventTime: T0 + 5_000 };
const target = { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '42' };
const recorded: Fact = { type: 'TradeObserved', data: original };
const voided: Fact = { type: 'CorrectionIssued', data: { correctionId: 'c1', action: 'void', target, reason: 'x' } };

describe('IssueCorrection', () => {
  it('given a recorded trade, when voided, then CorrectionIssued and a RecomputeRequested for its day are appended, caused by the correction', () => {
    given([recorded]).when(command({ target, action: 'void', reason: 'exchange busted the trade' }, { origin })).then([
      {
        id: 'id-2',
        type: 'CorrectionIssued',
        schemaVersion: 1,
        stream: 'corrections/BTC-USDT',
        data: { correctionId: 'id-1', action: 'void', target, reason: 'exchange busted the trade' },
        meta: { ...origin, causationId: null },
        dedupKey: 'correction/id-1',
      },
      {
        id: 'id-3',
        type: 'RecomputeRequested',
        schemaVersion: 1,
        stream: 'recompute/BTC-USDT',
        data: { requestId: 'correction-id-1', symbol: 'BTC-USDT', fromDay: '2024-01-01', toDay: '2024-01-01', reason: 'correction id-1: exchange busted the trade' },
        meta: { ...origin, causationId: 'id-2' },
        dedupKey: 'recompute/correction-id-1',
      },
    ]);
  });

  it('given a replacement that moves the trade to the next day, then both days are recomputed', () => {
    const replacement = { price: '101', quantity: '1', side: 'buy', eventTime: T0 + 86_400_000 + 1 };
    given([recorded]).when(command({ target, action: 'replace', replacement, reason: 'late print' })).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CorrectionIssued', 'RecomputeRequested']);
      expect(events[0]!.data).toMatchObject({ action: 'replace', replacement });
      expect(events[1]!.data).toMatchObject({ fromDay: '2024-01-01', toDay: '2024-01-02' });
    });
  });

  it('given no such trade, then NotFound', () => {
    given([]).when(command({ target, action: 'void', reason: 'x' })).thenThrows(NotFoundError, /no trade trade\/binance\/BTC-USDT\/42/);
  });

  it('given only another trade of the symbol, then NotFound', () => {
    given([{ type: 'TradeObserved', data: { ...original, tradeId: '43' } }]).when(command({ target, action: 'void', reason: 'x' })).thenThrows(NotFoundError);
  });

  it.each<[unknown, RegExp]>([
    [{ target, action: 'replace', reason: 'x' }, /replacement/],
    [{ target, action: 'void', reason: 'x', replacement: { price: '1', quantity: '1', side: 'buy', eventTime: T0 } }, /takes no replacement/],
    [{ target: { ...target, symbol: 'btc' }, action: 'void', reason: 'x' }, /target\.symbol/],
    [{ target, action: 'delete', reason: 'x' }, /action/],
    [{ target, action: 'void' }, /reason/],
  ])('given a malformed command %j, then InvalidInput names what is wrong', (input, message) => {
    given([recorded]).when(command(input)).thenThrows(InvalidInputError, message);
  });

  it('given the trade is already void, when voided again, then the command is rejected', () => {
    given([recorded, voided]).when(command({ target, action: 'void', reason: 'again' })).thenThrows(CommandRejectedError, /already void \(correction c1\)/);
  });

  it('given the trade was voided and then replaced, when voided again, then it is voided (the last correction counts)', () => {
    const replaced: Fact = { type: 'CorrectionIssued', data: { correctionId: 'c2', action: 'replace', target, replacement: { price: '99', quantity: '1', side: 'buy', eventTime: T0 }, reason: 'y' } };
    given([recorded, voided, replaced]).when(command({ target, action: 'void', reason: 'again' })).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CorrectionIssued', 'RecomputeRequested']);
    });
  });

  it('given the same correctionId was already issued, then nothing is appended (an idempotent retry)', () => {
    given([recorded, voided]).when(command({ correctionId: 'c1', target, action: 'void', reason: 'x' })).thenNothingHappened();
  });
});

/**
 * IssueCorrection: void or replace an earlier trade. History is never edited: the decision
 * appends a CorrectionIssued and a RecomputeRequested for the symbol-days it changes, together,
 * with the symbol's correction stream version as the concurrency guard.
 */
import * as t from 'io-ts';
import type { Decider } from '../domain/decider.js';
import { TradeRef, TradeReplacement, type CorrectionIssuedData } from '../domain/events/corrections.js';
import type { TradeData } from '../domain/events/market.js';
import { CommandRejectedError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { daysAffected, tradeKey } from '../domain/folds/corrections.js';
import { correctionStream, recomputeStream } from '../domain/streams.js';
import { NonEmptyString, validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

export const IssueCorrectionInput = t.intersection([
  t.type({ target: TradeRef, action: t.keyof({ void: null, replace: null }), reason: NonEmptyString }),
  t.partial({ correctionId: NonEmptyString, replacement: TradeReplacement }),
]);
export type IssueCorrectionInput = t.TypeOf<typeof IssueCorrectionInput>;

/** The request is unvalidated input; the decision names what is wrong with it. */
export type IssueCorrection = Command<unknown>;

export interface CorrectionState {
  /** Trades recorded in the ledger, as first recorded, by their natural key. */
  readonly trades: ReadonlyMap<string, TradeData>;
  /** Corrections already issued for this symbol, in ledger order. */
  readonly corrections: readonly CorrectionIssuedData[];
}

/** Decides [] when this correctionId was already issued (a retried request). */
export const issueCorrectionDecider: Decider<IssueCorrection, CorrectionState> = {
  decide: ({ data, metadata }, state) => {
    const v = validate(IssueCorrectionInput, data);
    if (!v.ok) throw new InvalidInputError(v.reason);
    const cmd = v.value;
    if (cmd.action === 'replace' && cmd.replacement === undefined) {
      throw new InvalidInputError('replacement: a replace correction needs {price, quantity, side, eventTime}');
    }
    if (cmd.action === 'void' && cmd.replacement !== undefined) {
      throw new InvalidInputError('replacement: a void correction takes no replacement');
    }
    const original = state.trades.get(tradeKey(cmd.target));
    if (original === undefined) {
      throw new NotFoundError(`no trade ${tradeKey(cmd.target)} in the ledger`);
    }
    if (cmd.correctionId !== undefined && state.corrections.some((c) => c.correctionId === cmd.correctionId)) return [];
    const last = [...state.corrections].reverse().find((c) => tradeKey(c.target) === tradeKey(cmd.target));
    if (last?.action === 'void' && cmd.action === 'void') {
      throw new CommandRejectedError(`trade ${tradeKey(cmd.target)} is already void (correction ${last.correctionId})`);
    }
    const correctionId = cmd.correctionId ?? metadata.nextId();
    const correction: CorrectionIssuedData =
      cmd.action === 'void'
        ? { correctionId, action: 'void', target: cmd.target, reason: cmd.reason }
        : { correctionId, action: 'replace', target: cmd.target, replacement: cmd.replacement!, reason: cmd.reason };
    const days = daysAffected(original, correction);
    const correctionEventId = metadata.nextId();
    return [
      newEvent(correctionEventId, 'CorrectionIssued', correctionStream(cmd.target.symbol), correction, metadata.origin, `correction/${correctionId}`),
      newEvent(metadata.nextId(), 'RecomputeRequested', recomputeStream(cmd.target.symbol), {
        requestId: `correction-${correctionId}`,
        symbol: cmd.target.symbol,
        fromDay: days[0]!,
        toDay: days[days.length - 1]!,
        reason: `correction ${correctionId}: ${cmd.reason}`,
      }, { ...metadata.origin, causationId: correctionEventId }, `recompute/correction-${correctionId}`),
    ];
  },
  evolve: (state, fact) => {
    switch (fact.type) {
      case 'TradeObserved':
        return { ...state, trades: new Map(state.trades).set(tradeKey(fact.data), fact.data) };
      case 'CorrectionIssued':
        return { ...state, corrections: [...state.corrections, fact.data] };
      default:
        return state;
    }
  },
  initialState: () => ({ trades: new Map(), corrections: [] }),
};

export interface IssueCorrectionResult {
  readonly correctionId: string;
  readonly recomputeRequestId: string;
  readonly position: number;
  /** False when the same correctionId had already been issued. */
  readonly created: boolean;
}

export const issueCorrection = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<IssueCorrectionResult> => {
  const target = validate(t.type({ target: TradeRef }), input);
  if (!target.ok) throw new InvalidInputError(target.reason);
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: issueCorrectionDecider,
    command: { data: input, metadata: metadataFor(deps, origin) },
    stream: correctionStream(target.value.target.symbol),
    context: deps.ledger.findByDedupKey(tradeKey(target.value.target)).then((trade) => (trade === undefined ? [] : [trade])),
  });
  const correction = decidedOfType(decided, 'CorrectionIssued');
  if (correction === undefined) {
    const id = (input as { correctionId: string }).correctionId;
    const existing = await deps.ledger.findByDedupKey(`correction/${id}`);
    return { correctionId: id, recomputeRequestId: `correction-${id}`, position: existing?.position ?? 0, created: false };
  }
  const { correctionId } = correction.data;
  return {
    correctionId,
    recomputeRequestId: `correction-${correctionId}`,
    position: result?.appended[0]?.position ?? 0,
    created: (result?.appended.length ?? 0) > 0,
  };
};

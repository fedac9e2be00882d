/**
 * IssueCorrection: void or replace an earlier trade. History is never edited: the decision
 * appends a CorrectionIssued and a RecomputeRequested for the symbol-days it changes, together,
 * with the symbol's correction stream version as the concurrency guard.
 */
import * as t from 'io-ts';
import type { NewEvent } from '../domain/events/envelope.js';
import { TradeRef, TradeReplacement, type CorrectionIssuedData } from '../domain/events/corrections.js';
import type { TradeData } from '../domain/events/market.js';
import { upcastEvent } from '../domain/events/catalogue.js';
import { CommandRejectedError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { daysAffected, tradeKey } from '../domain/folds/corrections.js';
import { correctionStream, recomputeStream } from '../domain/streams.js';
import { NonEmptyString, validate } from '../domain/validation.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

export const IssueCorrectionInput = t.intersection([
  t.type({ target: TradeRef, action: t.keyof({ void: null, replace: null }), reason: NonEmptyString }),
  t.partial({ correctionId: NonEmptyString, replacement: TradeReplacement }),
]);
export type IssueCorrectionInput = t.TypeOf<typeof IssueCorrectionInput>;

export interface CorrectionState {
  /** The trade being corrected, as first recorded; undefined when the ledger has no such trade. */
  readonly original: TradeData | undefined;
  /** Corrections already issued for this symbol, in ledger order. */
  readonly corrections: readonly CorrectionIssuedData[];
  readonly version: number;
}

export interface DecideIds {
  readonly nextId: () => string;
}

/** Pure decision. Returns [] when this correctionId was already issued (a retried request). */
export const decideIssueCorrection = (input: unknown, state: CorrectionState, origin: CommandOrigin, ids: DecideIds): NewEvent[] => {
  const v = validate(IssueCorrectionInput, input);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const cmd = v.value;
  if (cmd.action === 'replace' && cmd.replacement === undefined) {
    throw new InvalidInputError('replacement: a replace correction needs {price, quantity, side, eventTime}');
  }
  if (cmd.action === 'void' && cmd.replacement !== undefined) {
    throw new InvalidInputError('replacement: a void correction takes no replacement');
  }
  if (state.original === undefined) {
    throw new NotFoundError(`no trade ${tradeKey(cmd.target)} in the ledger`);
  }
  if (cmd.correctionId !== undefined && state.corrections.some((c) => c.correctionId === cmd.correctionId)) return [];
  const last = [...state.corrections].reverse().find((c) => tradeKey(c.target) === tradeKey(cmd.target));
  if (last?.action === 'void' && cmd.action === 'void') {
    throw new CommandRejectedError(`trade ${tradeKey(cmd.target)} is already void (correction ${last.correctionId})`);
  }
  const correctionId = cmd.correctionId ?? ids.nextId();
  const data: CorrectionIssuedData =
    cmd.action === 'void'
      ? { correctionId, action: 'void', target: cmd.target, reason: cmd.reason }
      : { correctionId, action: 'replace', target: cmd.target, replacement: cmd.replacement!, reason: cmd.reason };
  const days = daysAffected(state.original, data);
  const correctionEventId = ids.nextId();
  return [
    newEvent(correctionEventId, 'CorrectionIssued', correctionStream(cmd.target.symbol), data, origin, `correction/${correctionId}`),
    newEvent(ids.nextId(), 'RecomputeRequested', recomputeStream(cmd.target.symbol), {
      requestId: `correction-${correctionId}`,
      symbol: cmd.target.symbol,
      fromDay: days[0]!,
      toDay: days[days.length - 1]!,
      reason: `correction ${correctionId}: ${cmd.reason}`,
    }, { ...origin, causationId: correctionEventId }, `recompute/correction-${correctionId}`),
  ];
};

export const loadCorrectionState = async (deps: CommandDeps, target: TradeRef): Promise<CorrectionState> => {
  const [original, stream] = await Promise.all([
    deps.ledger.findByDedupKey(tradeKey(target)),
    deps.ledger.readStream(correctionStream(target.symbol)),
  ]);
  const corrections: CorrectionIssuedData[] = [];
  for (const e of stream) {
    const up = upcastEvent(e);
    if (up?.type === 'CorrectionIssued') corrections.push(up.data);
  }
  const originalEvent = original === undefined ? undefined : upcastEvent(original);
  return {
    original: originalEvent?.type === 'TradeObserved' ? originalEvent.data : undefined,
    corrections,
    version: stream.length === 0 ? 0 : stream[stream.length - 1]!.streamVersion,
  };
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
  const state = await loadCorrectionState(deps, target.value.target);
  const events = decideIssueCorrection(input, state, origin, { nextId: () => deps.ids.next() });
  if (events.length === 0) {
    const id = (input as { correctionId: string }).correctionId;
    const existing = await deps.ledger.findByDedupKey(`correction/${id}`);
    return { correctionId: id, recomputeRequestId: `correction-${id}`, position: existing?.position ?? 0, created: false };
  }
  const stream = correctionStream(target.value.target.symbol);
  const result = await deps.ledger.append(events, { expected: { [stream]: state.version === 0 ? 'no_stream' : state.version } });
  const data = events[0]!.data as CorrectionIssuedData;
  return {
    correctionId: data.correctionId,
    recomputeRequestId: `correction-${data.correctionId}`,
    position: result.appended[0]?.position ?? 0,
    created: result.appended.length > 0,
  };
};

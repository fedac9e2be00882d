/** RequestRecompute: rebuild a symbol's batch views for a range of event-time days, by hand. */
import * as t from 'io-ts';
import { statelessDecider } from '../domain/decider.js';
import { InvalidInputError } from '../domain/errors.js';
import { recomputeStream } from '../domain/streams.js';
import { DAY_MS, parseUtcDay } from '../domain/time.js';
import { MarketSymbolCodec, NonEmptyString, validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

export const RequestRecomputeInput = t.type({
  symbol: MarketSymbolCodec,
  fromDay: t.string,
  toDay: t.string,
  reason: NonEmptyString,
});

/** A year and a day at most per request: larger rebuilds are a full batch run, not a correction. */
export const MAX_RECOMPUTE_DAYS = 366;

/** The request is unvalidated input; the decision names what is wrong with it. */
export type RequestRecompute = Command<unknown>;

export const requestRecomputeDecider = statelessDecider(({ data, metadata }: RequestRecompute) => {
  const v = validate(RequestRecomputeInput, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const { symbol, fromDay, toDay, reason } = v.value;
  const from = parseUtcDay(fromDay);
  const to = parseUtcDay(toDay);
  if (from === undefined) throw new InvalidInputError(`fromDay: expected yyyy-mm-dd, got ${JSON.stringify(fromDay)}`);
  if (to === undefined) throw new InvalidInputError(`toDay: expected yyyy-mm-dd, got ${JSON.stringify(toDay)}`);
  if (to < from) throw new InvalidInputError(`toDay ${toDay} is before fromDay ${fromDay}`);
  if ((to - from) / DAY_MS + 1 > MAX_RECOMPUTE_DAYS) throw new InvalidInputError(`at most ${MAX_RECOMPUTE_DAYS} days per recompute`);
  const requestId = metadata.nextId();
  return [newEvent(metadata.nextId(), 'RecomputeRequested', recomputeStream(symbol), { requestId, symbol, fromDay, toDay, reason }, metadata.origin)];
});

export const requestRecompute = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ requestId: string; position: number }> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: requestRecomputeDecider,
    command: { data: input, metadata: metadataFor(deps, origin) },
  });
  return { requestId: decidedOfType(decided, 'RecomputeRequested')!.data.requestId, position: result?.appended[0]?.position ?? 0 };
};

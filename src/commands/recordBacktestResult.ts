/**
 * RecordBacktestResult: keeps a finished backtest as a fact. Once per backtest id: a job retried
 * after it recorded (a crash between the append and the queue's acknowledgement) appends nothing.
 */
import { statelessDecider } from '../domain/decider.js';
import { InvalidInputError } from '../domain/errors.js';
import { BacktestCompletedData } from '../domain/events/backtests.js';
import { backtestStream } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const backtestResultKey = (backtestId: string): string => `backtest-completed/${backtestId}`;

export const recordBacktestResultDecider = statelessDecider(({ data, metadata }: Command<unknown>) => {
  const v = validate(BacktestCompletedData, data, 'result');
  if (!v.ok) throw new InvalidInputError(v.reason);
  return [newEvent(metadata.nextId(), 'BacktestCompleted', backtestStream(v.value.backtestId), v.value, metadata.origin, backtestResultKey(v.value.backtestId))];
});

export const recordBacktestResult = async (deps: CommandDeps, data: BacktestCompletedData, origin: CommandOrigin): Promise<{ recorded: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: recordBacktestResultDecider,
    command: { data, metadata: metadataFor(deps, origin) },
  });
  const appended = result?.appended[0];
  if (appended !== undefined) return { recorded: true, position: appended.position };
  const existing = await deps.ledger.findByDedupKey(backtestResultKey(data.backtestId));
  return { recorded: false, position: existing?.position ?? 0 };
};

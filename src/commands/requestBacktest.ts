/**
 * RequestBacktest: records who asked for which backtest (the request as given, validated), so that
 * every process can answer for its id and the job that runs it reads what was asked from the
 * ledger, not from a queue that may have lost it.
 */
import { statelessDecider } from '../domain/decider.js';
import { readBacktestRequest } from '../domain/backtest/request.js';
import { backtestStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

export const requestBacktestDecider = statelessDecider(({ data, metadata }: Command<unknown>) => {
  // Throws InvalidInputError naming what is wrong; the request is kept as given once it validates.
  readBacktestRequest(data);
  const backtestId = metadata.nextId();
  return [newEvent(metadata.nextId(), 'BacktestRequested', backtestStream(backtestId), { backtestId, request: data as Record<string, unknown> }, metadata.origin)];
});

export const requestBacktest = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ backtestId: string; position: number }> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: requestBacktestDecider,
    command: { data: input, metadata: metadataFor(deps, origin) },
  });
  return { backtestId: decidedOfType(decided, 'BacktestRequested')!.data.backtestId, position: result?.appended[0]?.position ?? 0 };
};

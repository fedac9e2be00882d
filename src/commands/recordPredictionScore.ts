/**
 * RecordPredictionScore: keeps a prediction's score (PredictionScored) once its horizon has
 * passed. Once per prediction: processes scoring the same prediction at once append one event.
 */
import { statelessDecider } from '../domain/decider.js';
import type { PredictionScoredData } from '../domain/events/models.js';
import { predictionStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const predictionScoreKey = (predictionId: string): string => `prediction-scored/${predictionId}`;

export const recordPredictionScoreDecider = statelessDecider(({ data, metadata }: Command<PredictionScoredData>) => [
  newEvent(metadata.nextId(), 'PredictionScored', predictionStream(data.symbol), data, metadata.origin, predictionScoreKey(data.predictionId)),
]);

export const recordPredictionScore = async (deps: CommandDeps, score: PredictionScoredData, origin: CommandOrigin): Promise<{ recorded: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, { decider: recordPredictionScoreDecider, command: { data: score, metadata: metadataFor(deps, origin) } });
  const appended = result?.appended[0];
  return { recorded: appended !== undefined, position: appended?.position ?? 0 };
};

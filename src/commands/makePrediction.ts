/**
 * MakePrediction: a forecast from a registered model version for the feature row of the latest
 * complete bar, recorded as PredictionMade on the symbol's prediction stream. The model comes from
 * the registry read model (its serialised trees, as ModelTrained recorded them): nothing is
 * trained on the request path. A scheduled prediction carries a dedup key (model, version, bar),
 * so processes sharing a ledger record it once.
 */
import { statelessDecider } from '../domain/decider.js';
import type { PredictionMadeData } from '../domain/events/models.js';
import { predictionOf, type PredictionInput } from '../domain/modelRegistry/predict.js';
import { predictionStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

export type MakePrediction = Omit<PredictionInput, 'predictionId' | 'madeAt'> & { readonly scheduled: boolean };

export const scheduledPredictionKey = (modelId: string, version: number, barTime: number): string => `prediction/${modelId}/${version}/${barTime}`;

export const makePredictionDecider = statelessDecider(({ data, metadata }: Command<MakePrediction>) => {
  const prediction = predictionOf({ ...data, predictionId: metadata.nextId(), madeAt: metadata.now });
  const key = data.scheduled ? scheduledPredictionKey(data.model.modelId, data.model.version, data.row.time) : undefined;
  return [newEvent(metadata.nextId(), 'PredictionMade', predictionStream(prediction.symbol), prediction, metadata.origin, key)];
});

export const makePrediction = async (deps: CommandDeps, input: MakePrediction, origin: CommandOrigin): Promise<{ prediction: PredictionMadeData; recorded: boolean; position: number }> => {
  const { decided, result } = await handleCommand(deps.ledger, { decider: makePredictionDecider, command: { data: input, metadata: metadataFor(deps, origin) } });
  const prediction = decidedOfType(decided, 'PredictionMade')!.data;
  const appended = result?.appended[0];
  return { prediction, recorded: appended !== undefined, position: appended?.position ?? 0 };
};

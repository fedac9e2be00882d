/**
 * RecordModelTraining: keeps a finished training as the model's next version (ModelTrained, with
 * the serialised model). Once per training id: a job retried after it recorded (a crash between
 * the append and the queue's acknowledgement) appends nothing. Two trainings of one model that
 * finish together cannot both take the same version: the append expects the stream unchanged.
 */
import type { Decider } from '../domain/decider.js';
import type { ModelTrainedData } from '../domain/events/models.js';
import { evolveModelStream, initialModelStreamState, type ModelStreamState } from '../domain/modelRegistry/modelStreamState.js';
import { modelStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

export type ModelTraining = Omit<ModelTrainedData, 'version'> & { readonly trainingId: string };

export const modelTrainingKey = (trainingId: string): string => `model-trained/${trainingId}`;

export const recordModelTrainingDecider: Decider<Command<ModelTraining>, ModelStreamState> = {
  initialState: initialModelStreamState,
  evolve: evolveModelStream,
  decide: ({ data, metadata }, state) => {
    const { trainingId, ...trained } = data;
    const event: ModelTrainedData = { ...trained, version: state.versions.length + 1 };
    return [newEvent(metadata.nextId(), 'ModelTrained', modelStream(data.modelId), event, metadata.origin, modelTrainingKey(trainingId))];
  },
};

export const recordModelTraining = async (deps: CommandDeps, training: ModelTraining, origin: CommandOrigin): Promise<{ recorded: boolean; version: number; position: number }> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: recordModelTrainingDecider,
    command: { data: training, metadata: metadataFor(deps, origin) },
    stream: modelStream(training.modelId),
  });
  const appended = result?.appended[0];
  if (appended !== undefined) return { recorded: true, version: decidedOfType(decided, 'ModelTrained')!.data.version, position: appended.position };
  const existing = await deps.ledger.findByDedupKey(modelTrainingKey(training.trainingId));
  return { recorded: false, version: (existing?.data as ModelTrainedData | undefined)?.version ?? 0, position: existing?.position ?? 0 };
};

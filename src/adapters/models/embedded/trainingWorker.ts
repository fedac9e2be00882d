/**
 * The embedded trainer's thread (trainingThread.ts starts it): trains the one model its workerData
 * asks for with the domain's trainModel, unchanged, posting progress as it goes and then the
 * trained model or the reason it could not be trained. It exits once it has answered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isInvalidInputError } from '../../../domain/errors.js';
import { trainModel } from '../../../domain/models/index.js';
import type { TrainingFromWorker, TrainingWorkerData } from './trainingMessages.js';

const port = parentPort!;
const { spec, rows } = workerData as TrainingWorkerData;
const post = (m: TrainingFromWorker): void => port.postMessage(m);

try {
  const trained = trainModel(spec, rows, (done, total) => post({ kind: 'progress', done, total }));
  post({ kind: 'trained', trained });
} catch (e) {
  post({ kind: 'failed', message: e instanceof Error ? e.message : String(e), invalidInput: isInvalidInputError(e) });
}

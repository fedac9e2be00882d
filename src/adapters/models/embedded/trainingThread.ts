/**
 * Trains one model with the domain's trainer on a worker thread (trainingWorker.ts), so the
 * process keeps answering requests during the seconds a training takes: the rows go to the
 * worker by structured clone, the trained model comes back the same way, bit for bit what
 * trainModel answers on the calling thread (the same code on the same input; a test holds them
 * equal). One worker per training: trainings are minutes apart, and a fresh thread holds nothing
 * over from the last one.
 */
import { InvalidInputError } from '../../../domain/errors.js';
import type { FeatureRow } from '../../../domain/features/featureRow.js';
import type { ModelSpec, TrainedModel } from '../../../domain/models/index.js';
import { startModuleWorker } from '../../../projections/threads/moduleWorker.js';
import type { TrainingFromWorker, TrainingWorkerData } from './trainingMessages.js';

export const trainOnWorkerThread = (spec: ModelSpec, rows: readonly FeatureRow[], onProgress?: (done: number, total: number) => void): Promise<TrainedModel> =>
  new Promise<TrainedModel>((resolve, reject) => {
    const worker = startModuleWorker(import.meta.url, './trainingWorker', { spec, rows } satisfies TrainingWorkerData);
    let answered = false;
    worker.on('message', (m: TrainingFromWorker) => {
      if (m.kind === 'progress') {
        onProgress?.(m.done, m.total);
        return;
      }
      answered = true;
      if (m.kind === 'trained') resolve(m.trained);
      else reject(m.invalidInput ? new InvalidInputError(m.message) : new Error(m.message));
    });
    worker.on('error', (e) => {
      answered = true;
      reject(new Error(`the model training thread failed: ${e.message}`));
    });
    worker.on('exit', (code) => {
      if (!answered) reject(new Error(`the model training thread exited (code ${code}) without a model`));
    });
  });

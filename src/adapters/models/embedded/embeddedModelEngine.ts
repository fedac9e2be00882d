/**
 * The embedded ModelEngine: the domain's own trainer (src/domain/models/) in this process, no
 * server and no Python. Training runs on a worker thread (trainingThread.ts), so the process keeps
 * answering requests while a model trains.
 */
import type { ModelEngine } from '../../../domain/ports.js';
import { trainOnWorkerThread } from './trainingThread.js';

export const EMBEDDED_MODEL_ENGINE = 'embedded';

export const createEmbeddedModelEngine = (): ModelEngine => ({
  name: EMBEDDED_MODEL_ENGINE,
  train: (spec, input, onProgress) => trainOnWorkerThread(spec, input.rows, onProgress),
});

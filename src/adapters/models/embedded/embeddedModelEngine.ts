/**
 * The embedded ModelEngine: the domain's own trainer (src/domain/models/) in this process, no
 * server and no Python. Training runs on the calling thread: this process does not answer requests
 * while a model trains (bench/models.ts measures how long that is).
 */
import { trainModel } from '../../../domain/models/index.js';
import type { ModelEngine } from '../../../domain/ports.js';

export const EMBEDDED_MODEL_ENGINE = 'embedded';

export const createEmbeddedModelEngine = (): ModelEngine => ({
  name: EMBEDDED_MODEL_ENGINE,
  // A promise for the port's sake: a cluster engine waits on Spark; this one computes at once.
  train: async (spec, input, onProgress) => trainModel(spec, input.rows, onProgress),
});

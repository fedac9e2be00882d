/** The embedded engine's one entry for training: a checked spec, then the kind's trainer. */
import type { FeatureRow } from '../features/featureRow.js';
import type { TrainedModel } from './report.js';
import { validateModelSpec, type ModelSpec } from './spec.js';
import { trainSupervised, type Progress } from './supervised.js';

export const trainModel = (spec: ModelSpec, rows: readonly FeatureRow[], onProgress?: Progress): TrainedModel =>
  trainSupervised(validateModelSpec(spec), rows, onProgress);

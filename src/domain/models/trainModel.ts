/** The embedded engine's one entry for training: a checked spec, then the kind's trainer. */
import type { FeatureRow } from '../features/featureRow.js';
import { trainAnomaly } from './anomaly/trainAnomaly.js';
import type { TrainedModel } from './report.js';
import { validateModelSpec, type ModelSpec } from './spec.js';
import { trainSupervised, type Progress } from './supervised.js';

export const trainModel = (spec: ModelSpec, rows: readonly FeatureRow[], onProgress?: Progress): TrainedModel => {
  validateModelSpec(spec);
  if (spec.kind !== 'anomaly') return trainSupervised(spec, rows, onProgress);
  const trained = trainAnomaly(spec, rows);
  onProgress?.(1, 1);
  return trained;
};

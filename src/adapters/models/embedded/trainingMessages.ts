/** What the embedded trainer's thread is given and what it answers (trainingThread.ts ⇄ trainingWorker.ts). */
import type { FeatureRow } from '../../../domain/features/featureRow.js';
import type { ModelSpec, TrainedModel } from '../../../domain/models/index.js';

export interface TrainingWorkerData {
  readonly spec: ModelSpec;
  readonly rows: readonly FeatureRow[];
}

export type TrainingFromWorker =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'trained'; readonly trained: TrainedModel }
  /** `invalidInput`: the trainer refused the spec or rows (an InvalidInputError), so the caller gets one again. */
  | { readonly kind: 'failed'; readonly message: string; readonly invalidInput: boolean };

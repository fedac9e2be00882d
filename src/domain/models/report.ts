/** What training answers: the model's held-out record beside the naive forecast's, and the model itself. */
import type { ModelMetrics } from './metrics.js';
import type { ModelJson } from './modelJson.js';
import type { ModelSpec } from './spec.js';

export interface FoldReport {
  readonly trainRows: number;
  readonly testRows: number;
  /** Bar starts of the block's first and last rows. */
  readonly testFrom: number;
  readonly testTo: number;
  readonly chosenParams: Record<string, number>;
  readonly metrics: ModelMetrics;
  readonly naiveMetrics: ModelMetrics;
}

export interface IntervalReport {
  readonly level: number;
  /** The deployed model's half-width (from every fold's residuals). */
  readonly halfWidth: number;
  /** Share of the last fold's rows inside the interval calibrated on the folds before it. */
  readonly coverage: number;
}

export interface NaiveComparison {
  readonly name: 'zero-return' | 'majority' | 'persistence' | 'no-alarm';
  readonly metrics: ModelMetrics;
}

export interface TrainingReport {
  readonly spec: ModelSpec;
  readonly chosenParams: Record<string, number>;
  readonly usableRows: number;
  readonly droppedRows: number;
  readonly rowsWithoutTarget: number;
  readonly trainingRange: { readonly from: number; readonly to: number };
  /** Pooled over every fold's test rows. */
  readonly metrics: ModelMetrics;
  /** The better naive forecast on the same rows (the one skill is measured against; for an anomaly model, never alarming). */
  readonly naiveMetrics: ModelMetrics;
  readonly naiveForecast: NaiveComparison['name'];
  /** Every naive forecast tried (classification has two). */
  readonly naiveComparisons: readonly NaiveComparison[];
  /** 1 − error / naive error; null where undefined (an anomaly model, a naive forecast without error). */
  readonly skill: number | null;
  /** skill > 0. */
  readonly beatsNaive: boolean;
  readonly intervals?: readonly IntervalReport[];
  /** Normalised split-gain importance per feature (sum 1; all 0 for a model without a split). */
  readonly importances: Record<string, number>;
  readonly folds: readonly FoldReport[];
}

export interface TrainedModel {
  readonly report: TrainingReport;
  readonly model: ModelJson;
  /** SHA-256 hex of the model's canonical JSON. */
  readonly modelHash: string;
}

/** The embedded model engine (docs/models.md): training under walk-forward validation, and serving. */
export { trainModel } from './trainModel.js';
export {
  predictWithModel,
  servable,
  type Prediction,
  type RegressionPrediction,
  type ClassificationPrediction,
  type AnomalyPrediction,
  type ServableModel,
} from './predict.js';
export { scoreBars, scoreLatest, ANOMALY_COMPONENTS, type AnomalyBar, type AnomalyScore, type RobustZJson } from './anomaly/robustZ.js';
export { DEFAULT_ANOMALY_GRID, anomalyModel } from './anomaly/trainAnomaly.js';
export type { TrainedModel, TrainingReport, FoldReport, IntervalReport, NaiveComparison } from './report.js';
export type { ModelMetrics, SupervisedMetrics, RegressionMetrics, ClassificationMetrics, AnomalyMetrics } from './metrics.js';
export { regressionMetrics, classificationMetrics } from './metrics.js';
export type { ModelJson } from './modelJson.js';
export type { GbtJson, ForestJson, TreeNode } from './treeJson.js';
export type { Progress } from './supervised.js';
export {
  DEFAULT_FEATURES,
  DEFAULT_GBT_GRID,
  DEFAULT_FOREST_GRID,
  MODEL_KINDS,
  MODEL_INTERVALS,
  defaultTrendThreshold,
  validateModelSpec,
  type ModelSpec,
  type ModelKind,
  type ModelInterval,
  type ModelFeature,
} from './spec.js';
export { TREND_CLASSES, type TrendClass } from './trend.js';
export { INTERVAL_LEVELS } from './conformal.js';

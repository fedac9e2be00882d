/**
 * Held-out metrics (docs/models.md, "Metrics"), the same for the model and for the naive forecast
 * beside it, and computed identically by the Spark twin and the Python reference: sums in row order.
 */

export interface RegressionMetrics {
  readonly kind: 'regression';
  readonly rows: number;
  readonly mae: number;
  readonly rmse: number;
  /** Share of rows with sign(ŷ) = sign(y); a zero on one side only is a miss. */
  readonly directionalAccuracy: number;
}

export interface ClassificationMetrics {
  readonly kind: 'classification';
  readonly rows: number;
  readonly accuracy: number;
  /** Mean F1 over the classes present in the truth or the predictions. */
  readonly macroF1: number;
}

/** An anomaly model has no labels on real data: its record is how often it alarms (recall is measured on the simulator). */
export interface AnomalyMetrics {
  readonly kind: 'anomaly';
  readonly rows: number;
  readonly flaggedRows: number;
  readonly flaggedShare: number;
}

export type SupervisedMetrics = RegressionMetrics | ClassificationMetrics;
export type ModelMetrics = SupervisedMetrics | AnomalyMetrics;

export const regressionMetrics = (y: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics => {
  const n = y.length;
  let abs = 0;
  let sq = 0;
  let sameSign = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - predicted[i]!;
    abs += Math.abs(e);
    sq += e * e;
    if (Math.sign(y[i]!) === Math.sign(predicted[i]!)) sameSign++;
  }
  return { kind: 'regression', rows: n, mae: abs / n, rmse: Math.sqrt(sq / n), directionalAccuracy: sameSign / n };
};

export const classificationMetrics = (y: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ClassificationMetrics => {
  const n = y.length;
  const tp = new Array<number>(classes).fill(0);
  const truth = new Array<number>(classes).fill(0);
  const said = new Array<number>(classes).fill(0);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    truth[y[i]!]!++;
    said[predicted[i]!]!++;
    if (y[i] === predicted[i]) {
      correct++;
      tp[y[i]!]!++;
    }
  }
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    if (truth[c]! + said[c]! === 0) continue;
    present++;
    // F1 = 2TP / (2TP + FP + FN), and FP + FN + 2TP = predicted + true counts.
    f1 += (2 * tp[c]!) / (truth[c]! + said[c]!);
  }
  return { kind: 'classification', rows: n, accuracy: correct / n, macroF1: f1 / present };
};

/** The error that skill compares: MAE for regression, 1 − accuracy for classification. */
export const errorOf = (m: SupervisedMetrics): number => (m.kind === 'regression' ? m.mae : 1 - m.accuracy);

/** 1 − error / naive error; null when the naive forecast makes no error (no ratio to take). */
export const skillOf = (model: SupervisedMetrics, naive: SupervisedMetrics): number | null => {
  const e = errorOf(naive);
  return e === 0 ? null : 1 - errorOf(model) / e;
};

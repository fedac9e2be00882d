/**
 * What walk-forward validation needs of an algorithm: fit on the first rows of a matrix with one
 * grid point, predict a row. Regression predicts the point; classification the class label.
 */
import type { FittedTrees } from './gbt.js';
import type { GridPoint } from './hyperparameters.js';

export interface Learner<M> {
  readonly task: 'regression' | 'classification';
  /** Fits on the m = y.length rows of the row-major m × p matrix x. */
  fit(x: Float64Array, p: number, y: Float64Array, point: GridPoint, seed: number): FittedTrees<M>;
  /** The forecast for the row of x starting at `offset`. */
  predict(model: M, x: Float64Array, offset: number): number;
}

/**
 * Gradient-boosted regression trees for squared loss: start from the training mean, then each
 * iteration fits a depth-limited tree (growTree, quantile-binned splits) to the residuals and adds
 * stepSize × its leaves. Spark's GBTRegressor starts from a first tree instead of the mean; both
 * export to the same JSON (init + Σ weight·tree) so one predictor serves either.
 */
import { createRng } from '../prng.js';
import { binMatrix, quantileThresholds } from './binning.js';
import { growTree } from './growTree.js';
import { param, type GridPoint } from './hyperparameters.js';
import { leafOf, type GbtJson, type TreeNode } from './treeJson.js';

export interface GbtParams {
  readonly maxDepth: number;
  readonly maxIter: number;
  readonly stepSize: number;
  readonly maxBins: number;
  readonly subsamplingRate: number;
  readonly minInstancesPerNode: number;
}

export const gbtParams = (point: GridPoint): GbtParams => ({
  maxDepth: param(point, 'maxDepth', 4, { min: 1, max: 30, integer: true }),
  maxIter: param(point, 'maxIter', 20, { min: 1, max: 10_000, integer: true }),
  stepSize: param(point, 'stepSize', 0.1, { min: Number.MIN_VALUE, max: 1 }),
  maxBins: param(point, 'maxBins', 32, { min: 2, max: 256, integer: true }),
  subsamplingRate: param(point, 'subsamplingRate', 1, { min: Number.MIN_VALUE, max: 1 }),
  minInstancesPerNode: param(point, 'minInstancesPerNode', 1, { min: 1, max: 1e9, integer: true }),
});

export interface FittedTrees<M> {
  readonly model: M;
  /** Per feature, the summed gain of its splits (not yet normalised). */
  readonly gains: Float64Array;
}

/** Fits on the m rows of the row-major m × p matrix `x`. */
export const fitGbt = (x: Float64Array, p: number, y: Float64Array, params: GbtParams, seed: number): FittedTrees<GbtJson> => {
  const m = y.length;
  const everyRow = Int32Array.from({ length: m }, (_, i) => i);
  const binned = binMatrix(x, m, p, quantileThresholds(x, p, everyRow, params.maxBins));
  const rng = createRng(seed);
  const gains = new Float64Array(p);
  let init = 0;
  for (let i = 0; i < m; i++) init += y[i]! / m;
  const prediction = new Float64Array(m).fill(init);
  const residual = new Float64Array(m);
  const trees: { weight: number; root: TreeNode<number> }[] = [];
  for (let it = 0; it < params.maxIter; it++) {
    for (let i = 0; i < m; i++) residual[i] = y[i]! - prediction[i]!;
    const rows = params.subsamplingRate < 1 ? everyRow.filter(() => rng.next() < params.subsamplingRate) : everyRow.slice();
    if (rows.length === 0) continue;
    const root = growTree({
      binned,
      n: m,
      p,
      rows,
      weights: null,
      targets: residual,
      k: 1,
      maxDepth: params.maxDepth,
      minInstancesPerNode: params.minInstancesPerNode,
      featuresPerNode: p,
      rng: null,
      gains,
    }) as TreeNode<number>;
    trees.push({ weight: params.stepSize, root });
    for (let i = 0; i < m; i++) prediction[i]! += params.stepSize * leafOf(root, x, i * p);
  }
  return { model: { type: 'gbt', init, stepSize: params.stepSize, trees }, gains };
};

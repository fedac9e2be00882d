/**
 * Random-forest classifier: each tree learns from a bootstrap sample of the rows (multiplicities
 * drawn with the seeded PRNG) and tries ⌈√p⌉ features drawn afresh at every node (Spark's "sqrt"),
 * splitting on Gini impurity over quantile-binned candidates (growTree); a leaf keeps its class
 * distribution and the forest averages them.
 */
import { createRng } from '../prng.js';
import { binMatrix, quantileThresholds } from './binning.js';
import type { FittedTrees } from './gbt.js';
import { growTree } from './growTree.js';
import { param, type GridPoint } from './hyperparameters.js';
import type { ForestJson, TreeNode } from './treeJson.js';

export interface ForestParams {
  readonly numTrees: number;
  readonly maxDepth: number;
  readonly maxBins: number;
  readonly minInstancesPerNode: number;
}

export const forestParams = (point: GridPoint): ForestParams => ({
  numTrees: param(point, 'numTrees', 20, { min: 1, max: 10_000, integer: true }),
  maxDepth: param(point, 'maxDepth', 5, { min: 1, max: 30, integer: true }),
  maxBins: param(point, 'maxBins', 32, { min: 2, max: 256, integer: true }),
  minInstancesPerNode: param(point, 'minInstancesPerNode', 1, { min: 1, max: 1e9, integer: true }),
});

/** Fits on the m rows of the row-major m × p matrix `x`; `labels` are class numbers 0..classes−1. */
export const fitForest = (x: Float64Array, p: number, labels: Float64Array, classes: number, params: ForestParams, seed: number): FittedTrees<ForestJson> => {
  const m = labels.length;
  const everyRow = Int32Array.from({ length: m }, (_, i) => i);
  const binned = binMatrix(x, m, p, quantileThresholds(x, p, everyRow, params.maxBins));
  const oneHot = new Float64Array(m * classes);
  for (let i = 0; i < m; i++) oneHot[i * classes + labels[i]!] = 1;
  const rng = createRng(seed);
  const gains = new Float64Array(p);
  const weights = new Float64Array(m);
  const trees: TreeNode<number[]>[] = [];
  for (let t = 0; t < params.numTrees; t++) {
    weights.fill(0);
    for (let i = 0; i < m; i++) weights[rng.int(m)]!++;
    const rows = everyRow.filter((r) => weights[r]! > 0);
    trees.push(
      growTree({
        binned,
        n: m,
        p,
        rows,
        weights,
        targets: oneHot,
        k: classes,
        maxDepth: params.maxDepth,
        minInstancesPerNode: params.minInstancesPerNode,
        featuresPerNode: Math.min(p, Math.ceil(Math.sqrt(p))),
        rng,
        gains,
      }) as TreeNode<number[]>,
    );
  }
  return { model: { type: 'random-forest', classes, trees }, gains };
};

/**
 * One decision tree grown on binned features, for both learners: a node's statistics are the
 * weight and the weighted sums of k targets (k = 1: a regression residual; k = 3: one-hot classes).
 * A split maximises score(left) + score(right) − score(parent) with score = Σ_c s_c² / w, which is
 * the variance reduction × n for squared loss and the Gini impurity decrease × n for classes (the
 * −n terms of n·Gini cancel), so one histogram builder serves both. Ties keep the lowest feature,
 * then the lowest bin: the same inputs always grow the same tree.
 *
 * Why our own: no Node library trains gradient-boosted or random-forest trees with Spark's
 * quantile-binned candidate splits (docs/models.md); this one is small, typed-array based and
 * held to scikit-learn's model quality by the reference test.
 */
import type { Rng } from '../prng.js';
import type { Binned } from './binning.js';
import type { TreeNode } from './treeJson.js';

export interface GrowOptions {
  readonly binned: Binned;
  /** Rows of the binned matrix (its column length). */
  readonly n: number;
  readonly p: number;
  /** The rows this tree learns from (reordered in place); rows of weight 0 are left out by the caller. */
  readonly rows: Int32Array;
  /** Per matrix row (bootstrap multiplicity); null: every row weighs 1. */
  readonly weights: Float64Array | null;
  /** n × k, row-major. */
  readonly targets: Float64Array;
  readonly k: number;
  readonly maxDepth: number;
  readonly minInstancesPerNode: number;
  /** Features tried at each node (drawn afresh per node with `rng` when fewer than p). */
  readonly featuresPerNode: number;
  readonly rng: Rng | null;
  /** Per feature, the gain of its splits is added here (importances). */
  readonly gains: Float64Array;
}

const score = (stats: Float64Array): number => {
  let s = 0;
  for (let c = 1; c < stats.length; c++) s += stats[c]! * stats[c]!;
  return stats[0]! > 0 ? s / stats[0]! : 0;
};

/** `count` distinct features of p, ascending (a partial Fisher–Yates shuffle). */
const drawFeatures = (p: number, count: number, rng: Rng): number[] => {
  const perm = Array.from({ length: p }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(p - i);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return perm.slice(0, count).sort((a, b) => a - b);
};

export const growTree = (o: GrowOptions): TreeNode<number> | TreeNode<number[]> => {
  const { binned, n, p, rows, weights, targets, k } = o;
  const width = k + 1;
  const maxBinCount = Math.max(1, ...binned.thresholds.map((t) => t.length + 1));
  const hist = new Float64Array(maxBinCount * width);
  const left = new Float64Array(width);
  const right = new Float64Array(width);
  const all = Array.from({ length: p }, (_, i) => i);

  const grow = (start: number, end: number, depth: number): TreeNode<number> | TreeNode<number[]> => {
    const total = new Float64Array(width);
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      const w = weights === null ? 1 : weights[r]!;
      total[0]! += w;
      for (let c = 0; c < k; c++) total[1 + c]! += w * targets[r * k + c]!;
    }
    const leaf = () => (k === 1 ? { value: total[1]! / total[0]! } : { value: Array.from(total.subarray(1), (s) => s / total[0]!) });
    if (depth >= o.maxDepth || total[0]! < 2 * o.minInstancesPerNode) return leaf();
    const parent = score(total);
    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = -1;
    const candidates = o.featuresPerNode < p ? drawFeatures(p, o.featuresPerNode, o.rng!) : all;
    for (const f of candidates) {
      const binCount = binned.thresholds[f]!.length + 1;
      if (binCount < 2) continue;
      hist.fill(0, 0, binCount * width);
      const column = f * n;
      for (let i = start; i < end; i++) {
        const r = rows[i]!;
        const at = binned.bins[column + r]! * width;
        const w = weights === null ? 1 : weights[r]!;
        hist[at]! += w;
        for (let c = 0; c < k; c++) hist[at + 1 + c]! += w * targets[r * k + c]!;
      }
      left.fill(0);
      for (let b = 0; b < binCount - 1; b++) {
        for (let c = 0; c < width; c++) {
          left[c]! += hist[b * width + c]!;
          right[c] = total[c]! - left[c]!;
        }
        if (left[0]! < o.minInstancesPerNode || right[0]! < o.minInstancesPerNode) continue;
        const gain = score(left) + score(right) - parent;
        if (gain > bestGain + 1e-12 * Math.abs(parent)) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) return leaf();
    o.gains[bestFeature]! += bestGain;
    // Partition rows [start, end) so those going left (bin ≤ bestBin) come first.
    const column = bestFeature * n;
    let mid = start;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      if (binned.bins[column + r]! <= bestBin) {
        rows[i] = rows[mid]!;
        rows[mid++] = r;
      }
    }
    return {
      feature: bestFeature,
      threshold: binned.thresholds[bestFeature]![bestBin]!,
      left: grow(start, mid, depth + 1),
      right: grow(mid, end, depth + 1),
    } as TreeNode<number> | TreeNode<number[]>;
  };
  return grow(0, rows.length, 0);
};

/**
 * The serialised trees both engines write (docs/models.md, "Tree JSON"), so the embedded predictor
 * serves a model whichever engine trained it: a split goes left when x[feature] <= threshold; a leaf
 * holds a number (regression) or class probabilities (classification).
 */

export interface SplitNode<L> {
  readonly feature: number;
  readonly threshold: number;
  readonly left: TreeNode<L>;
  readonly right: TreeNode<L>;
}
export interface LeafNode<L> {
  readonly value: L;
}
export type TreeNode<L> = SplitNode<L> | LeafNode<L>;

export interface GbtJson {
  readonly type: 'gbt';
  readonly init: number;
  readonly stepSize: number;
  readonly trees: ReadonlyArray<{ readonly weight: number; readonly root: TreeNode<number> }>;
}

export interface ForestJson {
  readonly type: 'random-forest';
  readonly classes: number;
  readonly trees: ReadonlyArray<TreeNode<number[]>>;
}

const isLeaf = <L>(node: TreeNode<L>): node is LeafNode<L> => 'value' in node;

/** The leaf `x` (a row's features; `offset` its first in a row-major matrix) falls in. */
export const leafOf = <L>(root: TreeNode<L>, x: ArrayLike<number>, offset = 0): L => {
  let node = root;
  while (!isLeaf(node)) node = x[offset + node.feature]! <= node.threshold ? node.left : node.right;
  return node.value;
};

export const predictGbt = (model: GbtJson, x: ArrayLike<number>, offset = 0): number => {
  let out = model.init;
  for (const t of model.trees) out += t.weight * leafOf(t.root, x, offset);
  return out;
};

/** Mean of the trees' leaf class distributions. */
export const forestProbabilities = (model: ForestJson, x: ArrayLike<number>, offset = 0): number[] => {
  const out = new Array<number>(model.classes).fill(0);
  for (const root of model.trees) {
    const leaf = leafOf(root, x, offset);
    for (let c = 0; c < model.classes; c++) out[c]! += leaf[c]! / model.trees.length;
  }
  return out;
};

/** The most probable class; a tie goes to the lowest class. */
export const argmax = (values: readonly number[]): number => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
};

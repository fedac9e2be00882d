/**
 * Mantegna's minimum spanning tree: Kruskal over every pair with a defined ρ, on d = √(2(1 − ρ)).
 * Written here rather than taken from graphology, which has no spanning-tree package; Kruskal with a
 * union-find is a few lines and keeps the tree in the pure domain, where the Spark twin can be read
 * beside it. A matrix with undefined pairs may leave the symbols in several trees: a forest.
 */
import type { CorrelationMatrix } from './correlation.js';
import { mantegnaDistance } from './definitions.js';

export interface TreeEdge {
  readonly source: string;
  readonly target: string;
  readonly rho: number;
  readonly distance: number;
}

const unionFind = (n: number) => {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  return {
    /** Joins the sets of a and b; false when they were one already. */
    union(a: number, b: number): boolean {
      const ra = find(a);
      const rb = find(b);
      if (ra === rb) return false;
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
      return true;
    },
  };
};

/** Edges in the order Kruskal took them: by distance, ties by the symbols' positions in the matrix. */
export const minimumSpanningTree = (m: CorrelationMatrix): TreeEdge[] => {
  const n = m.symbols.length;
  const pairs: Array<{ i: number; j: number; d: number }> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const rho = m.values[i * n + j]!;
      if (!Number.isNaN(rho)) pairs.push({ i, j, d: mantegnaDistance(rho) });
    }
  }
  pairs.sort((a, b) => a.d - b.d || a.i - b.i || a.j - b.j);
  const sets = unionFind(n);
  const tree: TreeEdge[] = [];
  for (const p of pairs) {
    if (tree.length === n - 1) break;
    if (sets.union(p.i, p.j)) tree.push({ source: m.symbols[p.i]!, target: m.symbols[p.j]!, rho: m.values[p.i * n + p.j]!, distance: p.d });
  }
  return tree;
};

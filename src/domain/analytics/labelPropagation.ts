/**
 * Communities by label propagation (Raghavan, Albert and Kumara 2007), weighted. Written here
 * because graphology has no label-propagation package. Asynchronous and deterministic: nodes are
 * visited in index order, each takes the label with the largest total edge weight among its
 * neighbours (ties to the smallest label, its own kept when it is among the best), until a sweep
 * changes nothing. A fixed order instead of a random one makes the answer reproducible from the
 * matrix alone; asynchronous updates cannot oscillate the way synchronous ones do on bipartite parts.
 */

export interface WeightedEdge {
  readonly a: number;
  readonly b: number;
  readonly weight: number;
}

/** Sweeps before giving up on convergence; each sweep changes at least one label, so this is a guard. */
const MAX_SWEEPS = 1_000;

/** The label of each of `n` nodes (a node index: the smallest index that carried it first). */
export const labelPropagation = (n: number, edges: readonly WeightedEdge[]): Int32Array => {
  const neighbours: Array<Array<{ node: number; weight: number }>> = Array.from({ length: n }, () => []);
  for (const e of edges) {
    neighbours[e.a]!.push({ node: e.b, weight: e.weight });
    neighbours[e.b]!.push({ node: e.a, weight: e.weight });
  }
  const label = Int32Array.from({ length: n }, (_, i) => i);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const near = neighbours[i]!;
      if (near.length === 0) continue;
      const totals = new Map<number, number>();
      for (const { node, weight } of near) totals.set(label[node]!, (totals.get(label[node]!) ?? 0) + weight);
      let best = -Infinity;
      for (const w of totals.values()) best = Math.max(best, w);
      const own = totals.get(label[i]!);
      if (own === best) continue;
      let choice = Infinity;
      for (const [l, w] of totals) if (w === best && l < choice) choice = l;
      label[i] = choice;
      changed = true;
    }
    if (!changed) return label;
  }
  throw new Error(`label propagation did not settle in ${MAX_SWEEPS} sweeps over ${n} nodes`);
};

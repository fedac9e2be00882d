/**
 * The correlation network of a matrix: the threshold graph (an undirected edge where |ρ| ≥ the
 * threshold, weighted by |ρ|), Mantegna's spanning tree, weighted PageRank, Louvain and
 * label-propagation communities, connected components and the shortest paths (on d = √(2(1 − ρ)))
 * to BTC and ETH. The graph algorithms are graphology's; the tree and label propagation are the
 * domain's (graphology has neither).
 */
import { UndirectedGraph } from 'graphology';
import { connectedComponents } from 'graphology-components';
import { singleSource } from 'graphology-shortest-path/dijkstra.js';
import type { CorrelationMatrix } from '../../domain/analytics/correlation.js';
import { LOUVAIN_SEED, PAGERANK_ALPHA, PAGERANK_TOLERANCE, mantegnaDistance } from '../../domain/analytics/definitions.js';
import { labelPropagation } from '../../domain/analytics/labelPropagation.js';
import { minimumSpanningTree, type TreeEdge } from '../../domain/analytics/spanningTree.js';
import { louvain, pagerank } from './graphologyInterop.js';

interface EdgeAttributes {
  weight: number;
  distance: number;
}
type NetworkGraph = UndirectedGraph<Record<string, never>, EdgeAttributes>;

export interface NetworkEdge {
  readonly source: string;
  readonly target: string;
  readonly rho: number;
  /** |ρ|: PageRank's and the communities' weight. */
  readonly weight: number;
  /** √(2(1 − ρ)): the shortest paths' length. */
  readonly distance: number;
}

export interface NetworkNode {
  readonly symbol: string;
  readonly pagerank: number;
  readonly degree: number;
  /** Sum of the weights of its edges. */
  readonly strength: number;
  /** Indexes into `communities.louvain`, `communities.labelPropagation` and `components`. */
  readonly louvain: number;
  readonly labelPropagation: number;
  readonly component: number;
}

export interface PathToAnchor {
  readonly distance: number;
  /** From the symbol to the anchor, both included. */
  readonly path: readonly string[];
}

export interface CorrelationNetwork {
  readonly nodes: readonly NetworkNode[];
  readonly edges: readonly NetworkEdge[];
  readonly spanningTree: readonly TreeEdge[];
  /** Each a list of symbols in matrix order; lists ordered by their first symbol. */
  readonly communities: {
    readonly louvain: readonly string[][];
    readonly labelPropagation: readonly string[][];
    /** Null without edges, where modularity is undefined. */
    readonly louvainModularity: number | null;
  };
  readonly components: readonly string[][];
  /** Per anchor (the BTC and ETH symbols present): each symbol's path to it, null when the graph does not connect them. */
  readonly shortestPaths: Readonly<Record<string, Readonly<Record<string, PathToAnchor | null>>>>;
}

/**
 * mulberry32: Louvain visits nodes in a random order, so a fixed seed makes its communities
 * reproducible; a generator of a few lines keeps that without another dependency.
 */
const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Groups of symbols by a label per symbol, ordered by their first symbol; and each symbol's group index. */
const groups = (symbols: readonly string[], labelOf: (i: number) => string | number): { lists: string[][]; index: Int32Array } => {
  const byLabel = new Map<string | number, number>();
  const lists: string[][] = [];
  const index = new Int32Array(symbols.length);
  symbols.forEach((s, i) => {
    const label = labelOf(i);
    let g = byLabel.get(label);
    if (g === undefined) {
      g = lists.length;
      byLabel.set(label, g);
      lists.push([]);
    }
    lists[g]!.push(s);
    index[i] = g;
  });
  return { lists, index };
};

/** The BTC and ETH symbols of the matrix (the first in its order when several quotes are present). */
export const anchorSymbols = (symbols: readonly string[]): string[] =>
  ['BTC', 'ETH'].flatMap((base) => symbols.find((s) => s.split('-')[0] === base) ?? []);

export const thresholdEdges = (m: CorrelationMatrix, threshold: number): NetworkEdge[] => {
  const n = m.symbols.length;
  const edges: NetworkEdge[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const rho = m.values[i * n + j]!;
      if (Math.abs(rho) >= threshold) edges.push({ source: m.symbols[i]!, target: m.symbols[j]!, rho, weight: Math.abs(rho), distance: mantegnaDistance(rho) });
    }
  }
  return edges;
};

const pathLength = (graph: NetworkGraph, path: readonly string[]): number => {
  let d = 0;
  for (let k = 1; k < path.length; k++) d += graph.getEdgeAttribute(path[k - 1]!, path[k]!, 'distance');
  return d;
};

export interface Communities {
  readonly lists: CorrelationNetwork['communities'];
  /** Per symbol (matrix order), its index into `lists.louvain` and into `lists.labelPropagation`. */
  readonly louvain: Int32Array;
  readonly labelPropagation: Int32Array;
}

const graphOf = (symbols: readonly string[], edges: readonly NetworkEdge[]): NetworkGraph => {
  const graph: NetworkGraph = new UndirectedGraph({ allowSelfLoops: false });
  for (const s of symbols) graph.addNode(s);
  for (const e of edges) graph.addEdge(e.source, e.target, { weight: e.weight, distance: e.distance });
  return graph;
};

/**
 * Louvain (seeded) and label propagation over the threshold edges, in matrix order. Exported for the
 * Spark publication, which computes everything else of the network on the cluster: both visit nodes
 * one at a time, so they are run here on the edges Spark found (docs/analytics.md).
 */
export const communitiesOf = (symbols: readonly string[], edges: readonly NetworkEdge[], graph: NetworkGraph = graphOf(symbols, edges)): Communities => {
  const position = new Map(symbols.map((s, i) => [s, i]));
  const louvainRun = louvain.detailed(graph, { getEdgeWeight: 'weight', rng: seededRandom(LOUVAIN_SEED) });
  const byLouvain = groups(symbols, (i) => louvainRun.communities[symbols[i]!]!);
  const lpaLabels = labelPropagation(symbols.length, edges.map((e) => ({ a: position.get(e.source)!, b: position.get(e.target)!, weight: e.weight })));
  const byLpa = groups(symbols, (i) => lpaLabels[i]!);
  return {
    lists: { louvain: byLouvain.lists, labelPropagation: byLpa.lists, louvainModularity: edges.length === 0 ? null : louvainRun.modularity },
    louvain: byLouvain.index,
    labelPropagation: byLpa.index,
  };
};

export const correlationNetwork = (m: CorrelationMatrix, threshold: number): CorrelationNetwork => {
  const symbols = m.symbols;
  const edges = thresholdEdges(m, threshold);
  const graph = graphOf(symbols, edges);

  const ranks = symbols.length === 0 ? {} : pagerank(graph, { getEdgeWeight: 'weight', alpha: PAGERANK_ALPHA, tolerance: PAGERANK_TOLERANCE, maxIterations: 10_000 });
  const communities = communitiesOf(symbols, edges, graph);
  const componentOf = new Map<string, number>();
  connectedComponents(graph).forEach((c, k) => c.forEach((s) => componentOf.set(s, k)));
  const byComponent = groups(symbols, (i) => componentOf.get(symbols[i]!)!);

  const shortestPaths: Record<string, Record<string, PathToAnchor | null>> = {};
  for (const anchor of anchorSymbols(symbols)) {
    const paths = singleSource(graph, anchor, 'distance');
    shortestPaths[anchor] = Object.fromEntries(symbols.map((s) => {
      const p = paths[s];
      return [s, p === undefined ? null : { distance: pathLength(graph, p), path: [...p].reverse() }];
    }));
  }

  return {
    nodes: symbols.map((symbol, i) => ({
      symbol,
      pagerank: ranks[symbol]!,
      degree: graph.degree(symbol),
      strength: graph.reduceEdges(symbol, (sum: number, _e, attr) => sum + attr.weight, 0),
      louvain: communities.louvain[i]!,
      labelPropagation: communities.labelPropagation[i]!,
      component: byComponent.index[i]!,
    })),
    edges,
    spanningTree: minimumSpanningTree(m),
    communities: communities.lists,
    components: byComponent.lists,
    shortestPaths,
  };
};

/**
 * The embedded engine's correlation matrices and network against numpy, scipy and networkx
 * (test/support/network_reference.py): ρ within 1e-9; on the same matrix, PageRank within 1e-6 of networkx.pagerank
 * (alpha 0.85, weight |ρ|, tol 1e-12), the spanning tree's edge set equal to
 * networkx.minimum_spanning_tree on d, components equal, Dijkstra distances to BTC and ETH within
 * 1e-9, and Louvain's modularity as networkx computes it for the same partition. On the shared daily
 * OHLCV data and on generated tables. Needs the stack's Python: under CI=true its absence fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correlationMatrix, type CorrelationMatrix, type ReturnTable } from '../../../src/domain/analytics/correlation.js';
import { CORRELATION_METHODS, DEFAULT_THRESHOLD } from '../../../src/domain/analytics/definitions.js';
import { DAY_MS } from '../../../src/domain/time.js';
import { anchorSymbols, correlationNetwork } from '../../../src/read-models/analytics/correlationNetwork.js';
import { dailySeries, dailyTable, tableArb, tableColumns } from '../../support/correlationInputs.js';
import { DAILY_OHLCV } from '../../support/dailyOhlcv.js';
import { closeTo, pythonStack, runPythonReference } from '../../support/pythonReference.js';
import { requireSharedData } from '../../support/sharedData.js';

const data = requireSharedData(DAILY_OHLCV);

interface ReferenceNetwork {
  pagerank: Record<string, number>;
  spanningTree: Array<[string, string]>;
  components: string[][];
  distances: Record<string, Record<string, number>>;
  edges: number;
  modularity: number | null;
}
type ReferenceMethod = { values: Array<Array<number | null>>; shared: number[][]; network: ReferenceNetwork };
interface ReferenceAnswer { cases: Array<Record<'pearson' | 'spearman', ReferenceMethod>> }

interface Case { label: string; table: ReturnTable; threshold: number }

const sortedPairs = (pairs: ReadonlyArray<readonly [string, string]>): string[] => pairs.map(([a, b]) => [a, b].sort().join(' ~ ')).sort();

const matrixRows = (m: CorrelationMatrix): Array<Array<number | null>> =>
  m.symbols.map((_, i) => Array.from(m.values.subarray(i * m.symbols.length, (i + 1) * m.symbols.length), (v) => (Number.isNaN(v) ? null : v)));

/** What differs between the embedded engine and the reference, one line per difference. */
const compare = async (cases: Case[]): Promise<string[]> => {
  const ours = cases.map((c) => Object.fromEntries(CORRELATION_METHODS.map((method) => {
    const m = correlationMatrix(c.table, method);
    return [method, { m, net: correlationNetwork(m, c.threshold) }];
  })) as Record<'pearson' | 'spearman', { m: CorrelationMatrix; net: ReturnType<typeof correlationNetwork> }>);
  const reference = await runPythonReference<ReferenceAnswer>('network_reference.py', {
    cases: cases.map((c, k) => ({
      symbols: c.table.symbols,
      columns: tableColumns(c.table),
      threshold: c.threshold,
      anchors: anchorSymbols(c.table.symbols),
      matrices: { pearson: matrixRows(ours[k]!.pearson.m), spearman: matrixRows(ours[k]!.spearman.m) },
      louvain: { pearson: ours[k]!.pearson.net.communities.louvain, spearman: ours[k]!.spearman.net.communities.louvain },
    })),
  });
  const out: string[] = [];
  cases.forEach((c, k) => {
    const n = c.table.symbols.length;
    for (const method of CORRELATION_METHODS) {
      const label = `${c.label} ${method}`;
      const { m, net } = ours[k]![method];
      const want = reference.cases[k]![method];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const got = m.values[i * n + j]!;
          const w = want.values[i]![j]!;
          if (!closeTo(Number.isNaN(got) ? null : got, w)) out.push(`${label} rho ${c.table.symbols[i]}/${c.table.symbols[j]}: ${got} vs ${w}`);
          if (m.shared[i * n + j] !== want.shared[i]![j]) out.push(`${label} shared ${i}/${j}: ${m.shared[i * n + j]} vs ${want.shared[i]![j]}`);
        }
      }
      for (const node of net.nodes) {
        const w = want.network.pagerank[node.symbol]!;
        if (!(Math.abs(node.pagerank - w) <= 1e-6)) out.push(`${label} pagerank ${node.symbol}: ${node.pagerank} vs ${w}`);
      }
      if (net.edges.length !== want.network.edges) out.push(`${label} edges: ${net.edges.length} vs ${want.network.edges}`);
      const tree = sortedPairs(net.spanningTree.map((e) => [e.source, e.target] as const));
      const wantTree = sortedPairs(want.network.spanningTree);
      if (tree.join() !== wantTree.join()) out.push(`${label} spanning tree: ${tree.join(', ')} vs ${wantTree.join(', ')}`);
      const components = net.components.map((g) => [...g].sort().join(' ')).sort();
      const wantComponents = want.network.components.map((g) => g.join(' ')).sort();
      if (components.join(' | ') !== wantComponents.join(' | ')) out.push(`${label} components: ${components.join(' | ')} vs ${wantComponents.join(' | ')}`);
      for (const [anchor, paths] of Object.entries(net.shortestPaths)) {
        for (const [symbol, p] of Object.entries(paths)) {
          const w = want.network.distances[anchor]![symbol] ?? null;
          if (!closeTo(p?.distance ?? null, w)) out.push(`${label} distance ${symbol}→${anchor}: ${p?.distance} vs ${w}`);
        }
      }
      if (!closeTo(net.communities.louvainModularity, want.network.modularity, 1e-9)) out.push(`${label} Louvain modularity: ${net.communities.louvainModularity} vs ${want.network.modularity}`);
    }
  });
  return out;
};

describe.skipIf(pythonStack.skip)('correlation network against numpy, scipy and networkx', () => {
  it.skipIf(data.skip)('agrees on the shared daily OHLCV data (30, 90 and 365 days, coins that start inside the window)', async () => {
    data.assertAvailable();
    const series = dailySeries(data.path(DAILY_OHLCV));
    const last = Math.max(...series.map((s) => s.closes[s.closes.length - 1]!.time));
    const cases: Case[] = [];
    for (const back of [0, 250, 700]) {
      for (const window of [30, 90, 365]) {
        cases.push({ label: `${window}d to -${back}d`, table: dailyTable(series, last - back * DAY_MS, window), threshold: back === 250 ? 0.3 : DEFAULT_THRESHOLD });
      }
    }
    expect(cases.every((c) => c.table.symbols.includes('BTC-USD') && c.table.symbols.includes('ETH-USD'))).toBe(true);
    expect(await compare(cases)).toEqual([]);
  }, 120_000);

  it('agrees on generated tables (missing returns, ties, flat series, any threshold)', async () => {
    const samples = fc.sample(fc.record({ table: tableArb(), threshold: fc.constantFrom(0, 0.2, 0.5, 0.8, 1) }), { numRuns: 60, seed: 1919 });
    expect(await compare(samples.map((s, i) => ({ label: `sample ${i}`, ...s })))).toEqual([]);
  }, 120_000);
});

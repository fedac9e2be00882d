/**
 * Network: the correlation heatmap and the correlation network (force layout; node size by
 * PageRank, colour by Louvain community) for a chosen window of returns, with each answer's
 * content hash (the one the ledger's BatchViewPublished events carry) and where it came from: the
 * published view (its event's ledger position) or computed on demand.
 */
import { h, replace } from '../dom.js';
import { load } from '../figures.js';
import { num } from '../format.js';
import type { Cleanup } from '../page.js';
import { forceLayout, heatmap, type MatrixShape } from '../graphics.js';

const PRODUCER = 'The correlation analytics compute it from the merged candles of the window';
/** Where an answer came from (the routes' `source` and `publication`). */
interface Sourced {
  readonly source: 'published' | 'on-demand';
  readonly publication?: { readonly position: number; readonly engine: string };
}
const sourceOf = (a: Sourced): string =>
  a.publication === undefined ? 'computed on demand' : `as published at ledger position ${a.publication.position} (engine ${a.publication.engine})`;

const WINDOWS: Array<[string, string]> = [['24h', 'as-of day, 1m returns'], ['30', '30 days'], ['90', '90 days'], ['365', '365 days']];

interface Network extends Sourced {
  readonly asOf: string;
  readonly nodes: { symbol: string; pagerank: number; louvain: number; degree: number }[];
  readonly edges: { source: string; target: string; rho: number; weight: number }[];
  readonly communities: { louvain: string[][]; louvainModularity: number | null };
  readonly contentHash: string;
}

export default async function networkPage(root: HTMLElement): Promise<Cleanup> {
  const window = h('select', { id: 'network-window', 'aria-label': 'Window' }, ...WINDOWS.map(([w, label]) => h('option', { value: w, selected: w === '30' }, label)));
  const method = h('select', { id: 'network-method', 'aria-label': 'Method' }, h('option', { value: 'pearson' }, 'Pearson'), h('option', { value: 'spearman' }, 'Spearman'));
  const heat = h('section', { id: 'correlation' });
  const graph = h('section', { id: 'network' });
  replace(root, h('h1', {}, 'Network'), h('div', { class: 'toolbar' }, h('label', {}, 'Window ', window), h('label', {}, 'Method ', method)), h('div', { class: 'columns' }, heat, graph));
  const show = async (): Promise<void> => {
    const q = `window=${window.value}&method=${method.value}`;
    const [c, n] = await Promise.all([
      load<MatrixShape & Sourced & { asOf: string; contentHash: string }>(`/api/v1/analytics/correlation?${q}`, 'Correlation heatmap', PRODUCER),
      load<Network>(`/api/v1/analytics/network?${q}`, 'Correlation network', PRODUCER),
    ]);
    replace(heat, h('h2', {}, 'Correlation heatmap'), ...(c.ok ? [heatmap(c.value), h('p', { class: 'muted' }, `As of ${c.value.asOf} (UTC), ${sourceOf(c.value)}; content hash ${c.value.contentHash.slice(0, 16)}…`)] : [c.view]));
    if (!n.ok) return void replace(graph, h('h2', {}, 'Correlation network'), n.view);
    const net = n.value;
    replace(
      graph,
      h('h2', {}, 'Correlation network'),
      forceLayout({ nodes: net.nodes.map((x) => ({ id: x.symbol, pagerank: x.pagerank, community: x.louvain })), edges: net.edges }),
      h('p', { class: 'muted' }, `${num(net.nodes.length, 0)} symbols, ${num(net.edges.length, 0)} edges, ${num(net.communities.louvain.length, 0)} Louvain communities (modularity ${num(net.communities.louvainModularity, 3)}); node size by PageRank, colour by community. As of ${net.asOf} (UTC), ${sourceOf(net)}.`),
    );
  };
  for (const c of [window, method]) c.addEventListener('change', () => void show());
  await show();
  return () => undefined;
}

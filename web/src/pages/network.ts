/**
 * Network: the correlation heatmap and the correlation network (force layout; node size by
 * PageRank, colour by community) for a chosen window, once the analytics routes serve them.
 */
import { h, replace } from '../dom.js';
import { figures, load } from '../figures.js';
import type { Cleanup } from '../page.js';
import { forceLayout, heatmap, type GraphShape, type MatrixShape } from '../graphics.js';

const PRODUCER = 'The correlation analytics compute it from the merged candles';

export default async function networkPage(root: HTMLElement): Promise<Cleanup> {
  const window = h('select', { id: 'network-window', 'aria-label': 'Window' }, ...['1d', '7d', '30d', '90d'].map((w) => h('option', { value: w, selected: w === '30d' }, w)));
  const heat = h('section', { id: 'correlation' });
  const graph = h('section', { id: 'network' });
  replace(root, h('h1', {}, 'Network'), h('div', { class: 'toolbar' }, h('label', {}, 'Window ', window)), h('div', { class: 'columns' }, heat, graph));
  const show = async (): Promise<void> => {
    const [c, n] = await Promise.all([
      load<MatrixShape>(`/api/v1/analytics/correlation?window=${window.value}`, 'Correlation heatmap', PRODUCER),
      load<GraphShape>(`/api/v1/analytics/network?window=${window.value}`, 'Correlation network', PRODUCER),
    ]);
    replace(heat, h('h2', {}, 'Correlation heatmap'), !c.ok ? c.view : Array.isArray(c.value.symbols) && Array.isArray(c.value.matrix) ? heatmap(c.value) : figures(c.value));
    replace(graph, h('h2', {}, 'Correlation network'), !n.ok ? n.view : Array.isArray(n.value.nodes) && Array.isArray(n.value.edges) ? forceLayout(n.value) : figures(n.value));
  };
  window.addEventListener('change', () => void show());
  await show();
  return () => undefined;
}

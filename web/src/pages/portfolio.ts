/** Portfolio: a portfolio's weights, stress results, the efficient frontier and an optimise action (a risk officer's key). */
import { h, replace } from '../dom.js';
import { figures, load } from '../figures.js';
import type { Cleanup } from '../page.js';

export default async function portfolioPage(root: HTMLElement): Promise<Cleanup> {
  const list = await load<unknown>('/api/v1/portfolios', 'Portfolios', 'Portfolios are created over the API (POST /api/v1/portfolios, a risk key), then stressed and optimised there');
  replace(root, h('h1', {}, 'Portfolio'), h('section', { id: 'portfolios' }, h('h2', {}, 'Portfolios, weights, stress and frontier'), list.ok ? figures(list.value) : list.view));
  return () => undefined;
}

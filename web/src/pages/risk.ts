/** Risk: a symbol's VaR / CVaR, drawdown and other figures, and the VaR backtest scorecard (Kupiec, Christoffersen). */
import { get } from '../api.js';
import { h, replace } from '../dom.js';
import { figures, load } from '../figures.js';
import type { Cleanup } from '../page.js';

export default async function riskPage(root: HTMLElement, args: readonly string[]): Promise<Cleanup> {
  const { symbols } = await get<{ symbols: string[] }>('/api/v1/symbols');
  const symbol = h('select', { id: 'risk-symbol', 'aria-label': 'Symbol' }, ...symbols.map((s) => h('option', { value: s, selected: s === args[0] }, s)));
  const interval = h('select', { id: 'risk-interval', 'aria-label': 'Return interval' }, ...['1d', '1h', '5m', '1m'].map((i) => h('option', { value: i, selected: i === '1h' }, i)));
  const figuresBox = h('section', { id: 'risk-figures' });
  const scorecard = h('section', { id: 'risk-scorecard' });
  replace(root, h('h1', {}, 'Risk'), h('div', { class: 'toolbar' }, h('label', {}, 'Symbol ', symbol), h('label', {}, 'Returns ', interval)), h('div', { class: 'columns' }, figuresBox, scorecard));
  const show = async (): Promise<void> => {
    const s = encodeURIComponent(symbol.value);
    replace(figuresBox, h('h2', {}, 'VaR, CVaR and drawdown'), h('p', { class: 'muted' }, 'Loading…'));
    replace(scorecard, h('h2', {}, 'VaR backtest scorecard'), h('p', { class: 'muted' }, 'Loading…'));
    const [risk, backtest] = await Promise.all([
      load(`/api/v1/risk/${s}?interval=${interval.value}`, 'Risk figures', 'The risk read model computes them from the merged candles (docs/risk.md)'),
      load(`/api/v1/risk/${s}/var-backtest`, 'VaR backtest', 'The VaR backtest needs enough daily candles for its window (docs/risk.md)'),
    ]);
    replace(figuresBox, h('h2', {}, 'VaR, CVaR and drawdown'), risk.ok ? figures(risk.value) : risk.view);
    replace(scorecard, h('h2', {}, 'VaR backtest scorecard'), backtest.ok ? figures(backtest.value) : backtest.view);
  };
  symbol.addEventListener('change', () => void show());
  interval.addEventListener('change', () => void show());
  await show();
  return () => undefined;
}

/**
 * Portfolio (a risk officer's key): the portfolios and their weights; for the chosen one, its
 * risk figures, a stress test, an optimise action (a PortfolioOptimised event) and the efficient
 * frontier of its symbols. Define one with weights here too.
 */
import { post } from '../api.js';
import { emptyState, errorBox, h, replace, table } from '../dom.js';
import { figures, load } from '../figures.js';
import { pct } from '../format.js';
import type { Cleanup } from '../page.js';

interface Portfolio {
  readonly portfolioId: string;
  readonly name: string;
  readonly holdings: { kind: 'weights'; weights: Record<string, number> } | { kind: 'positions'; positions: Record<string, number> };
}
interface FrontierPoint {
  readonly return: number;
  readonly volatility: number;
  readonly sharpe: number | null;
}

const PRODUCER = 'Portfolio figures are computed from the daily candles of complete UTC days up to the as-of day (docs/risk.md)';
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const SVG = 'http://www.w3.org/2000/svg';

/** The frontier as volatility (x) against return (y). */
const frontierPlot = (points: readonly FrontierPoint[]): SVGSVGElement => {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 400 240');
  svg.setAttribute('class', 'network');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `efficient frontier of ${points.length} points`);
  const xs = points.map((p) => p.volatility);
  const ys = points.map((p) => p.return);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const x = (v: number): number => 40 + ((v - x0) / (x1 - x0 || 1)) * 340;
  const y = (v: number): number => 220 - ((v - y0) / (y1 - y0 || 1)) * 200;
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.map((p) => `${x(p.volatility)},${y(p.return)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#61afef');
  svg.append(line);
  for (const [text, tx, ty] of [[`volatility ${pct(x0, 1)} – ${pct(x1, 1)}`, 200, 238], [`return ${pct(y0, 1)} – ${pct(y1, 1)}`, 4, 12]] as const) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(tx));
    t.setAttribute('y', String(ty));
    t.setAttribute('class', 'axis');
    t.textContent = text;
    svg.append(t);
  }
  return svg;
};

export default async function portfolioPage(root: HTMLElement): Promise<Cleanup> {
  const listBox = h('section', { id: 'portfolios' });
  const detail = h('section', { id: 'portfolio-detail' });
  const name = h('input', { id: 'pf-name', required: true, placeholder: 'Core book' });
  const weights = h('input', { id: 'pf-weights', required: true, size: 40, value: '{"BTC-USDT": 0.6, "ETH-USDT": 0.4}' });
  const message = h('p', { role: 'status' });
  const form = h('form', { class: 'stack', id: 'pf-form' }, h('label', {}, 'Name ', name), h('label', {}, 'Weights (JSON, long-only, summing to 1) ', weights), h('button', { class: 'primary' }, 'Define portfolio'), message);
  replace(root, h('h1', {}, 'Portfolio'), h('div', { class: 'columns' }, listBox, h('section', {}, h('h2', {}, 'New portfolio'), form)), detail);

  const show = async (p: Portfolio): Promise<void> => {
    const held = p.holdings.kind === 'weights' ? p.holdings.weights : p.holdings.positions;
    const symbols = Object.keys(held);
    const objective = h('select', { id: 'pf-objective', 'aria-label': 'Objective' }, ...['min_volatility', 'max_sharpe'].map((o) => h('option', { value: o }, o)));
    const actionOut = h('div', { id: 'pf-action' });
    const act = (label: string, run: () => Promise<unknown>): HTMLButtonElement =>
      h('button', { type: 'button', onclick: () => void run().then((r) => replace(actionOut, figures(r)), (e: unknown) => replace(actionOut, errorBox(`${label}: ${messageOf(e)}`))) }, label);
    const [risk, frontier] = await Promise.all([
      load(`/api/v1/portfolios/${encodeURIComponent(p.portfolioId)}/risk`, 'Portfolio risk', PRODUCER),
      load<{ points: FrontierPoint[] }>(`/api/v1/portfolios/frontier?symbols=${symbols.map(encodeURIComponent).join(',')}&points=20`, 'Efficient frontier', PRODUCER),
    ]);
    replace(
      detail,
      h('h2', {}, `${p.name} (${p.portfolioId})`),
      table([p.holdings.kind === 'weights' ? 'Weight' : 'Position', ...symbols], [[p.holdings.kind, ...symbols.map((s) => (p.holdings.kind === 'weights' ? pct(held[s]!) : String(held[s])))]]),
      h('div', { class: 'columns' }, h('div', {}, h('h3', {}, 'Risk'), risk.ok ? figures(risk.value) : risk.view), h('div', {}, h('h3', {}, 'Efficient frontier'), frontier.ok ? (frontier.value.points?.length ? frontierPlot(frontier.value.points) : figures(frontier.value)) : frontier.view)),
      h('div', { class: 'toolbar' }, act('Stress test', () => post(`/api/v1/portfolios/${encodeURIComponent(p.portfolioId)}/stress`, {})), objective, act('Optimise', () => post(`/api/v1/portfolios/${encodeURIComponent(p.portfolioId)}/optimise`, { objective: objective.value }))),
      actionOut,
    );
  };

  const list = async (): Promise<void> => {
    const loaded = await load<{ portfolios: Portfolio[] }>('/api/v1/portfolios', 'Portfolios', 'Portfolios are defined over the API (POST /api/v1/portfolios, a risk key) or with the form here');
    if (!loaded.ok) return void replace(listBox, h('h2', {}, 'Portfolios'), loaded.view);
    const all = loaded.value.portfolios;
    replace(
      listBox,
      h('h2', {}, 'Portfolios'),
      all.length === 0
        ? emptyState('No portfolio yet', 'Define one with the form (weights per symbol), or POST /api/v1/portfolios with a risk key.')
        : table(['Portfolio', 'Holdings'], all.map((p) => [h('button', { type: 'button', class: 'link', onclick: () => void show(p) }, p.name), Object.keys(p.holdings.kind === 'weights' ? p.holdings.weights : p.holdings.positions).join(', ')]), { id: 'pf-table' }),
    );
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(weights.value);
    } catch {
      message.textContent = 'Weights: not JSON. Write an object such as {"BTC-USDT": 0.6, "ETH-USDT": 0.4}.';
      return;
    }
    post<{ portfolioId: string }>('/api/v1/portfolios', { name: name.value, holdings: { kind: 'weights', weights: parsed } }).then(
      (r) => {
        message.textContent = `Portfolio ${r.portfolioId} defined.`;
        void list();
      },
      (err: unknown) => (message.textContent = `Not defined: ${messageOf(err)}`),
    );
  });
  await list();
  return () => undefined;
}

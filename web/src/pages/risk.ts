/**
 * Risk: a symbol's VaR and CVaR (historical and parametric, 95% and 99%), volatility, Sharpe,
 * Sortino and the drawdown curve over its window; and the VaR backtest scorecard (exceptions
 * against expected, Kupiec, Christoffersen, conditional coverage, the Basel zone). The figures are
 * the API's (src/read-models/risk.ts); the drawdown curve is drawn from the returns it answers.
 */
import { createChart, AreaSeries, type UTCTimestamp } from 'lightweight-charts';
import { get } from '../api.js';
import { chartOptions } from '../chartTheme.js';
import { emptyState, h, replace, table } from '../dom.js';
import { load } from '../figures.js';
import { num, pct } from '../format.js';
import type { Cleanup } from '../page.js';

interface VarFigures {
  readonly historicalVar: number | null;
  readonly historicalCvar: number | null;
  readonly parametricVar: number | null;
}
interface RiskAnswer {
  readonly asOf: string;
  readonly definitions: Record<string, string | number>;
  readonly returns: { time: number; value: number }[];
  readonly missingBars: string[];
  readonly figures: { observations: number; meanReturn: number | null; volatility: number | null; sharpe: number | null; sortino: number | null; maxDrawdown: number | null; var: Record<string, VarFigures> };
  readonly batch: { version: number } | null;
  readonly gaps: unknown[];
  readonly degraded: boolean;
}
interface LikelihoodRatio {
  readonly statistic: number;
  readonly pValue: number;
}
interface Scorecard {
  readonly asOf: string;
  readonly window: number;
  readonly missingBars: string[];
  readonly levels: { level: number; method: string; days: unknown[]; exceptions: number; expectedExceptions: number; kupiec: LikelihoodRatio; christoffersenIndependence: LikelihoodRatio; conditionalCoverage: LikelihoodRatio; basel: { zone: string; days: number; exceptions: number } | null }[];
}

const PRODUCER = 'The risk read model computes them from the merged candles of complete UTC days up to the as-of day (docs/risk.md)';
const yesterday = (): string => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** Running drawdown of the compounded returns: V_t / max_{s≤t} V_s − 1, V_0 = 1. */
const drawdowns = (returns: readonly { time: number; value: number }[]): { time: number; value: number }[] => {
  let v = 1;
  let peak = 1;
  return returns.map((r) => {
    v *= 1 + r.value;
    peak = Math.max(peak, v);
    return { time: r.time, value: v / peak - 1 };
  });
};

export default async function riskPage(root: HTMLElement, args: readonly string[]): Promise<Cleanup> {
  const { symbols } = await get<{ symbols: string[] }>('/api/v1/symbols');
  const symbol = h('select', { id: 'risk-symbol', 'aria-label': 'Symbol' }, ...symbols.map((s) => h('option', { value: s, selected: s === args[0] }, s)));
  const interval = h('select', { id: 'risk-interval', 'aria-label': 'Return interval' }, ...['1d', '1h'].map((i) => h('option', { value: i }, i)));
  const asOf = h('input', { type: 'date', id: 'risk-asof', 'aria-label': 'As of (UTC day)', value: yesterday(), max: yesterday() });
  const figuresBox = h('section', { id: 'risk-figures' });
  const scorecard = h('section', { id: 'risk-scorecard' });
  const chartBox = h('div', { class: 'chart small', id: 'risk-drawdown' });
  replace(
    root,
    h('h1', {}, 'Risk'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Symbol ', symbol), h('label', {}, 'Returns ', interval), h('label', {}, 'As of (UTC day) ', asOf)),
    h('div', { class: 'columns' }, figuresBox, h('section', {}, h('h2', {}, 'Drawdown'), chartBox)),
    scorecard,
  );
  const chart = createChart(chartBox, { ...chartOptions(), localization: { locale: 'en-US', priceFormatter: (p: number) => pct(p, 1) } });
  const curve = chart.addSeries(AreaSeries, { lineColor: '#e06c75', topColor: '#e06c7500', bottomColor: '#e06c7555', lineWidth: 1 });

  const show = async (): Promise<void> => {
    const s = encodeURIComponent(symbol.value);
    const [risk, backtest] = await Promise.all([
      load<RiskAnswer>(`/api/v1/risk/${s}?interval=${interval.value}&asOf=${asOf.value}`, 'Risk figures', PRODUCER),
      load<Scorecard>(`/api/v1/risk/${s}/var-backtest?asOf=${asOf.value}`, 'VaR backtest', PRODUCER),
    ]);
    if (!risk.ok) replace(figuresBox, h('h2', {}, 'VaR, CVaR and drawdown'), risk.view);
    else {
      const f = risk.value.figures;
      curve.setData(drawdowns(risk.value.returns).map((p) => ({ time: Math.floor(p.time / 1000) as UTCTimestamp, value: p.value })));
      chart.timeScale().fitContent();
      replace(
        figuresBox,
        h('h2', {}, `VaR, CVaR and drawdown, ${risk.value.asOf}`),
        f.observations === 0
          ? emptyState('No returns in the window yet', `${PRODUCER}; ${num(risk.value.missingBars.length, 0)} bar(s) of the window have no close.`)
          : h(
              'div',
              {},
              table(['Level', 'Historical VaR', 'Historical CVaR', 'Parametric VaR'], Object.entries(f.var).map(([level, v]) => [`${num(Number(level) * 100, 0)}%`, pct(v.historicalVar), pct(v.historicalCvar), pct(v.parametricVar)]), { class: 'figures' }),
              table(['Returns', 'Mean', 'Volatility (annualised)', 'Sharpe', 'Sortino', 'Max drawdown'], [[num(f.observations, 0), pct(f.meanReturn, 3), pct(f.volatility), num(f.sharpe), num(f.sortino), pct(f.maxDrawdown)]], { class: 'figures' }),
            ),
        h('p', { class: 'muted' }, `${num(risk.value.missingBars.length, 0)} bar(s) without a close; batch view ${risk.value.batch === null ? 'none yet' : `v${risk.value.batch.version}`}${risk.value.degraded ? '; degraded: speed layer only' : ''}.`),
        h('details', {}, h('summary', {}, 'Definitions'), h('dl', { class: 'evidence' }, ...Object.entries(risk.value.definitions).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]))),
      );
    }
    replace(
      scorecard,
      h('h2', {}, 'VaR backtest scorecard'),
      !backtest.ok
        ? backtest.view
        : backtest.value.levels.every((l) => l.days.length === 0)
          ? emptyState('No backtest days yet', `Each day's VaR over the previous ${num(backtest.value.window, 0)} daily returns is tested against the next day's return; ${num(backtest.value.missingBars.length, 0)} day(s) of the window have no close.`)
          : table(
              ['Level', 'Method', 'Days', 'Exceptions', 'Expected', 'Kupiec p', 'Christoffersen p', 'Conditional coverage p', 'Basel zone'],
              backtest.value.levels.map((l) => [`${num(l.level * 100, 0)}%`, l.method, num(l.days.length, 0), num(l.exceptions, 0), num(l.expectedExceptions, 1), num(l.kupiec.pValue, 3), num(l.christoffersenIndependence.pValue, 3), num(l.conditionalCoverage.pValue, 3), l.basel === null ? '–' : `${l.basel.zone} (${l.basel.exceptions}/${l.basel.days})`]),
              { class: 'figures', id: 'scorecard-table' },
            ),
    );
  };
  for (const c of [symbol, interval, asOf]) c.addEventListener('change', () => void show());
  await show();
  return () => chart.remove();
}

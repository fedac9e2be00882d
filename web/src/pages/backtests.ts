/**
 * Backtests: submit a strategy with its parameters (grids allowed), watch its progress, see the
 * equity curve and metrics, and compare the runs submitted from this tab side by side.
 */
import { createChart, LineSeries, type UTCTimestamp } from 'lightweight-charts';
import { get, post } from '../api.js';
import { chartOptions } from '../chartTheme.js';
import { errorBox, h, replace, table } from '../dom.js';
import { num, pct, utc } from '../format.js';
import type { Cleanup } from '../page.js';

interface Metrics {
  readonly finalEquity: number;
  readonly totalReturn: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdown: number;
  readonly trades: number;
  readonly winRate: number | null;
  readonly exposure: number;
  readonly marketChange: number;
}
interface Status {
  readonly backtestId: string;
  readonly status: 'pending' | 'running' | 'completed' | 'failed';
  readonly progress: number | null;
  readonly request: Record<string, unknown>;
  readonly error: string | null;
  readonly result: { readonly symbol: string; readonly interval: string; readonly chosen: unknown; readonly metrics: Metrics; readonly equity: { time: number; value: number }[] } | null;
}

const RUNS = 'tickvault.backtests';
const EXAMPLES: Record<string, string> = {
  'sma-crossover': '{"kind":"sma-crossover","fast":[5,10],"slow":[20,50]}',
  'rsi-thresholds': '{"kind":"rsi-thresholds","window":14,"lower":30,"upper":70}',
  'bollinger-breakout': '{"kind":"bollinger-breakout","window":20,"k":2}',
};
const COLOURS = ['#61afef', '#e5c07b', '#c678dd', '#4caf87', '#e06c75'];

const savedRuns = (): string[] => JSON.parse(sessionStorage.getItem(RUNS) ?? '[]') as string[];

export default async function backtestsPage(root: HTMLElement): Promise<Cleanup> {
  const { symbols } = await get<{ symbols: string[] }>('/api/v1/symbols');
  const symbol = h('select', { id: 'bt-symbol' }, ...symbols.map((s) => h('option', { value: s }, s)));
  const interval = h('select', { id: 'bt-interval' }, ...['1m', '5m', '1h', '1d'].map((i) => h('option', { value: i }, i)));
  const from = h('input', { id: 'bt-from', value: new Date(Date.now() - 86_400_000).toISOString().slice(0, 16) + 'Z', size: 20 });
  const to = h('input', { id: 'bt-to', value: new Date().toISOString().slice(0, 16) + 'Z', size: 20 });
  const kind = h('select', { id: 'bt-kind' }, ...Object.keys(EXAMPLES).map((k) => h('option', { value: k }, k)));
  const strategy = h('textarea', { id: 'bt-strategy', rows: 2, cols: 50 }, EXAMPLES['sma-crossover']!);
  kind.addEventListener('change', () => (strategy.value = EXAMPLES[kind.value]!));
  const mode = h('select', { id: 'bt-mode' }, h('option', { value: 'long-only' }, 'long-only'), h('option', { value: 'long-short' }, 'long-short'));
  const message = h('p', { role: 'status', id: 'bt-message' });
  const form = h(
    'form',
    { class: 'stack', id: 'bt-form' },
    h('label', {}, 'Symbol ', symbol),
    h('label', {}, 'Interval ', interval),
    h('label', {}, 'From (UTC) ', from),
    h('label', {}, 'To (UTC) ', to),
    h('label', {}, 'Strategy ', kind),
    h('label', {}, 'Parameters (JSON; lists make a grid) ', strategy),
    h('label', {}, 'Mode ', mode),
    h('button', { class: 'primary' }, 'Run backtest'),
    message,
  );
  const runsBox = h('section', { id: 'bt-runs' });
  const chartBox = h('div', { class: 'chart small', id: 'bt-equity' });
  replace(root, h('h1', {}, 'Backtests'), h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'New run'), form), h('section', {}, h('h2', {}, 'Equity (UTC)'), chartBox)), runsBox);
  const chart = createChart(chartBox, chartOptions());
  let lines = new Map<string, ReturnType<typeof chart.addSeries>>();
  let timer: number | undefined;

  const refresh = async (): Promise<void> => {
    const ids = savedRuns();
    if (ids.length === 0) {
      replace(runsBox, h('h2', {}, 'Runs'), h('p', { class: 'muted' }, 'No run from this tab yet: submit one above (the job queue runs it; `tickvault backtest` does the same from a shell).'));
      return;
    }
    const runs = await Promise.all(ids.map((id) => get<Status>(`/api/v1/backtests/${encodeURIComponent(id)}`).catch((e: unknown) => ({ backtestId: id, status: 'failed', progress: null, request: {}, error: e instanceof Error ? e.message : String(e), result: null }) as Status)));
    replace(
      runsBox,
      h('h2', {}, 'Runs, compared'),
      table(
        ['Run', 'Symbol', 'Status', 'Strategy chosen', 'Final equity', 'Return', 'Market', 'Sharpe', 'Max drawdown', 'Trades', 'Win rate'],
        runs.map((r, i) => {
          const m = r.result?.metrics;
          return [
            h('span', { style: `color:${COLOURS[i % COLOURS.length]}` }, r.backtestId.slice(0, 8)),
            String(r.request['symbol'] ?? ''),
            r.status === 'running' || r.status === 'pending' ? h('progress', { max: 1, value: r.progress ?? 0, 'aria-label': 'progress' }) : r.status === 'failed' ? `failed: ${r.error ?? ''}` : 'completed',
            r.result === null ? '' : JSON.stringify(r.result.chosen),
            num(m?.finalEquity),
            pct(m?.totalReturn),
            pct(m?.marketChange),
            num(m?.sharpe),
            pct(m?.maxDrawdown),
            num(m?.trades, 0),
            pct(m?.winRate),
          ];
        }),
        { id: 'bt-table' },
      ),
    );
    for (const s of lines.values()) chart.removeSeries(s);
    lines = new Map();
    runs.forEach((r, i) => {
      if (r.result === null) return;
      const s = chart.addSeries(LineSeries, { color: COLOURS[i % COLOURS.length]!, lineWidth: 2, priceLineVisible: false });
      s.setData(r.result.equity.map((p) => ({ time: Math.floor(p.time / 1000) as UTCTimestamp, value: p.value })));
      lines.set(r.backtestId, s);
    });
    chart.timeScale().fitContent();
    if (runs.some((r) => r.status === 'pending' || r.status === 'running')) timer = window.setTimeout(() => void refresh(), 1000);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(strategy.value);
    } catch {
      message.textContent = 'Parameters: not JSON.';
      return;
    }
    post<{ backtestId: string }>('/api/v1/backtests', { symbol: symbol.value, interval: interval.value, from: from.value, to: to.value, strategy: parsed, mode: mode.value }).then(
      (r) => {
        sessionStorage.setItem(RUNS, JSON.stringify([...savedRuns(), r.backtestId].slice(-5)));
        message.textContent = `Run ${r.backtestId} submitted at ${utc(Date.now())}.`;
        window.clearTimeout(timer);
        void refresh();
      },
      (err: unknown) => replace(message, errorBox(`Not submitted: ${err instanceof Error ? err.message : String(err)}`)),
    );
  });
  await refresh();
  return () => {
    window.clearTimeout(timer);
    chart.remove();
  };
}

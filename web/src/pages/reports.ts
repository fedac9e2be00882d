/**
 * Reports: a historical report of a symbol over a UTC date range (returns, drawdown, risk,
 * correlations when served, seasonality by weekday and hour, the batch view's version) and a
 * compliance report over the same range (alerts, the ledger's verification and signed
 * checkpoint, the corrections with their actors), laid out to print cleanly (the browser's Print →
 * PDF, or `tickvault report --pdf`, which opens `#/reports/SYMBOL/FROM/TO` and waits for
 * `data-ready` on the reports).
 */
import { get } from '../api.js';
import { emptyState, h, replace, table } from '../dom.js';
import { load } from '../figures.js';
import { num, pct, price, utc } from '../format.js';
import { ohlcvPath, type Candle, type OhlcvAnswer } from '../market.js';
import type { Cleanup } from '../page.js';
import type { Alert } from './alertTypes.js';

interface Correction {
  readonly correctionId: string;
  readonly action: 'void' | 'replace';
  readonly target: { readonly exchange: string; readonly tradeId: string };
  readonly reason: string;
  readonly actor: string;
  readonly recordedAt: number;
  readonly position: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const today = (): string => new Date().toISOString().slice(0, 10);

const returnsOf = (candles: readonly Candle[]): { time: number; value: number }[] => candles.slice(1).map((c, i) => ({ time: c.time, value: c.close / candles[i]!.close - 1 }));
const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const maxDrawdown = (candles: readonly Candle[]): number | null => {
  let peak = -Infinity;
  let worst: number | null = null;
  for (const c of candles) {
    peak = Math.max(peak, c.close);
    worst = Math.min(worst ?? 0, c.close / peak - 1);
  }
  return worst;
};
/** Mean return grouped by a UTC calendar field. */
const seasonality = (returns: readonly { time: number; value: number }[], key: (d: Date) => number, labels: readonly string[]): (string | number)[][] =>
  labels.map((label, k) => {
    const xs = returns.filter((r) => key(new Date(r.time)) === k).map((r) => r.value);
    return [label, num(xs.length, 0), pct(mean(xs), 3)];
  });

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** `#/reports/SYMBOL/FROM/TO` opens those reports (days as yyyy-mm-dd); the form starts from them. */
export default async function reportsPage(root: HTMLElement, args: readonly string[] = []): Promise<Cleanup> {
  const [askedSymbol, askedFrom, askedTo] = args;
  const { symbols } = await get<{ symbols: string[] }>('/api/v1/symbols');
  const choices = askedSymbol === undefined || symbols.includes(askedSymbol) ? symbols : [askedSymbol, ...symbols];
  const symbol = h('select', { id: 'report-symbol' }, ...choices.map((s) => h('option', { value: s, ...(s === askedSymbol ? { selected: true } : {}) }, s)));
  const from = h('input', { type: 'date', id: 'report-from', value: askedFrom !== undefined && DAY_PATTERN.test(askedFrom) ? askedFrom : new Date(Date.now() - 30 * DAY_MS).toISOString().slice(0, 10) });
  const to = h('input', { type: 'date', id: 'report-to', value: askedTo !== undefined && DAY_PATTERN.test(askedTo) ? askedTo : today() });
  const out = h('div', { id: 'report' });
  const form = h('form', { class: 'toolbar' }, h('label', {}, 'Symbol ', symbol), h('label', {}, 'From (UTC) ', from), h('label', {}, 'To (UTC, inclusive) ', to), h('button', { class: 'primary' }, 'Make reports'), h('button', { type: 'button', onclick: () => window.print() }, 'Print / PDF'));
  replace(root, h('h1', {}, 'Reports'), form, out);

  const make = async (): Promise<void> => {
    out.removeAttribute('data-ready');
    const start = Date.parse(`${from.value}T00:00:00Z`);
    const end = Date.parse(`${to.value}T00:00:00Z`) + DAY_MS;
    if (!(start < end)) {
      replace(out, emptyState('No range', 'Choose a from day before the to day.'));
      return;
    }
    const s = symbol.value;
    // Risk and correlations are of complete UTC days: the range's last one that has ended.
    const lastDay = new Date(Math.min(end, Date.parse(`${today()}T00:00:00Z`)) - DAY_MS).toISOString().slice(0, 10);
    const [daily, hourly, risk, correlation, alerts, checkpoint, verification, corrections] = await Promise.all([
      get<OhlcvAnswer>(ohlcvPath(s, '1d', start, end)),
      get<OhlcvAnswer>(ohlcvPath(s, '1h', Math.max(start, end - 400 * DAY_MS), end)),
      load<{ figures: { var: Record<string, { historicalVar: number | null; historicalCvar: number | null }>; volatility: number | null; observations: number } }>(`/api/v1/risk/${encodeURIComponent(s)}?asOf=${lastDay}`, 'Risk', 'The risk read model (docs/risk.md)'),
      load<{ symbols?: string[]; matrix?: (number | null)[][] }>(`/api/v1/analytics/correlation?window=30&asOf=${lastDay}`, 'Correlations', 'The correlation analytics compute them from the merged candles'),
      get<{ alerts: Alert[] }>(`/api/v1/alerts?symbol=${encodeURIComponent(s)}&from=${start}&to=${end}&limit=500`),
      get<{ size: number; root: string; time: number }>('/api/v1/ledger/checkpoint').catch(() => null),
      get<{ ok: boolean; lastVerified?: { size: number; verifiedAt: number } | null }>('/api/v1/ledger/verify').catch(() => null),
      get<{ corrections: Correction[] }>(`/api/v1/compliance/corrections?symbol=${encodeURIComponent(s)}&from=${start}&to=${end}`).catch(() => null),
    ]);
    const candles = daily.candles;
    const dayReturns = returnsOf(candles);
    const hourReturns = returnsOf(hourly.candles);
    const first = candles[0];
    const last = candles[candles.length - 1];
    const corr = correlation.ok && correlation.value.symbols !== undefined && correlation.value.matrix !== undefined ? correlation.value : null;
    const row = corr?.symbols?.indexOf(s) ?? -1;
    replace(
      out,
      h(
        'article',
        { class: 'report', id: 'historical-report' },
        h('h2', {}, `Historical report: ${s}, ${from.value} to ${to.value} (UTC)`),
        candles.length === 0
          ? emptyState('No daily candles in the range', 'The batch and speed layers hold no trades of this symbol in these days.')
          : table(['First open', 'Last close', 'Return', 'Best day', 'Worst day', 'Max drawdown (daily closes)', 'Days'], [[price(first!.open), price(last!.close), pct(last!.close / first!.open - 1), pct(Math.max(...dayReturns.map((r) => r.value))), pct(Math.min(...dayReturns.map((r) => r.value))), pct(maxDrawdown(candles)), num(candles.length, 0)]]),
        h('h3', {}, 'Risk (as of the range\'s last complete day)'),
        risk.ok ? table(['Level', 'Historical VaR', 'Historical CVaR'], Object.entries(risk.value.figures.var).map(([l, v]) => [`${num(Number(l) * 100, 0)}%`, pct(v.historicalVar), pct(v.historicalCvar)])) : risk.view,
        h('h3', {}, `Correlations (30 days of daily returns to ${lastDay})`),
        corr === null ? (correlation.ok ? emptyState('No correlation matrix in the answer', 'The correlation route answered without a matrix.') : correlation.view) : table(['Symbol', 'Correlation'], corr.symbols!.map((o, j) => [o, num(corr.matrix![row]?.[j] ?? null, 3)])),
        h('h3', {}, 'Seasonality: mean return by UTC weekday (daily) and hour (hourly)'),
        h('div', { class: 'columns' }, table(['Weekday', 'Days', 'Mean'], seasonality(dayReturns, (d) => d.getUTCDay(), WEEKDAYS)), table(['Hour', 'Hours', 'Mean'], seasonality(hourReturns, (d) => d.getUTCHours(), Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:00`)))),
        h('p', { class: 'muted' }, `Batch view: ${daily.batch === null ? 'none yet' : `v${daily.batch.version} through ${utc(daily.batch.computedThrough)}`}; ${daily.gaps.length} gap(s) in the daily answer${daily.degraded ? '; degraded (speed layer only)' : ''}. Made ${utc(Date.now())}.`),
      ),
      h(
        'article',
        { class: 'report', id: 'compliance-report' },
        h('h2', {}, `Compliance report: ${s}, ${from.value} to ${to.value} (UTC)`),
        h('p', {}, verification === null ? 'Ledger verification: not readable with this key.' : `Ledger verification: ${verification.ok ? 'intact' : 'BROKEN'}${verification.lastVerified ? `, verified through ${num(verification.lastVerified.size, 0)} events at ${utc(verification.lastVerified.verifiedAt)}` : ''}.`),
        h('p', {}, checkpoint === null ? 'Signed checkpoint: none readable.' : `Latest signed checkpoint: ${num(checkpoint.size, 0)} events at ${utc(checkpoint.time)}, root ${checkpoint.root}.`),
        h('h3', {}, `Alerts (${num(alerts.alerts.length, 0)})`),
        alerts.alerts.length === 0 ? h('p', { class: 'muted' }, 'No alert on this symbol in the range.') : table(['Event time', 'Severity', 'Rule', 'Message', 'Ledger position'], alerts.alerts.map((a) => [utc(a.eventTime), a.severity, a.ruleId, a.message, a.position === undefined ? '–' : num(a.position, 0)])),
        h('h3', {}, corrections === null ? 'Corrections' : `Corrections recorded in the range (${num(corrections.corrections.length, 0)})`),
        corrections === null
          ? h('p', {}, 'Corrections: not readable with this key (the compliance role lists them).')
          : corrections.corrections.length === 0
            ? h('p', { class: 'muted' }, 'No correction of this symbol was recorded in the range.')
            : table(['Recorded', 'Action', 'Trade', 'Reason', 'Actor (key id)', 'Ledger position'], corrections.corrections.map((c) => [utc(c.recordedAt), c.action, `${c.target.exchange} ${c.target.tradeId}`, c.reason, c.actor, num(c.position, 0)])),
      ),
    );
    out.setAttribute('data-ready', 'true');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void make();
  });
  await make();
  return () => undefined;
}

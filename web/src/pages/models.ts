/**
 * Models: a model's versions with their held-out metrics beside the naive forecast's (and a plain
 * flag where they do not beat it), its aliases and feature importances; its live track record
 * against the naive forecast; and its predictions, with their 80% and 95% intervals, over the
 * realised price. The figures are the API's (src/read-models/models.ts, docs/models.md).
 */
import { createChart, LineSeries, LineStyle, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { chartOptions, COLOURS, seconds } from '../chartTheme.js';
import { emptyState, h, replace, table } from '../dom.js';
import { load } from '../figures.js';
import { num, pct, price, utc } from '../format.js';
import type { Cleanup } from '../page.js';
import type { Metrics, ModelDetail, ModelSummary, ModelVersion, Prediction, TrackFigures, TrackRecord } from './modelTypes.js';

const PRODUCER = 'Models are trained by `tickvault models train` or POST /api/v1/models/trainings (and nightly, as challengers, for the watched symbols)';
const PREDICTIONS = 'Predictions are made by POST /api/v1/predictions and, hourly, from each watched symbol\'s champion; each is scored once its horizon has passed (hourly, or by `tickvault models score`)';
const BAR_MS: Readonly<Record<string, number>> = { '1h': 3_600_000, '1d': 86_400_000 };
const LEVELS = [0.8, 0.95] as const;

/** Metrics of log returns are small: more decimals below 1 %; counts are whole. */
const metric = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : num(x, Number.isInteger(x) ? 0 : Math.abs(x) < 0.01 ? 6 : 4));
const isoUtc = (iso: string): string => utc(Date.parse(iso));

/** Where skill ≤ 0 (or undefined) the model does not beat the naive forecast: said plainly. */
const verdict = (skill: number | null): HTMLElement =>
  skill !== null && skill > 0 ? h('span', { class: 'beats' }, `beats the naive forecast (skill ${num(skill, 3)})`) : h('strong', { class: 'not-beats' }, `does not beat the naive forecast (skill ${num(skill, 3)})`);

const metricsBeside = (model: Metrics, naive: Metrics): HTMLElement =>
  h('dl', { class: 'figures' }, ...Object.keys(model).flatMap((k) => [h('dt', {}, k), h('dd', {}, `${metric(model[k])} vs naive ${metric(naive[k])}`)]));

const versionsTable = (m: ModelDetail): HTMLElement => {
  const aliasesOf = (v: number): string => Object.entries(m.aliases).filter(([, n]) => n === v).map(([a]) => a).join(', ');
  return table(
    ['Version', 'Aliases', 'Trained (UTC)', 'Algorithm', 'Rows', 'Held-out metrics (model vs naive)', 'Skill', 'Against naive'],
    [...m.versions].reverse().map((v) => [`v${v.version}`, aliasesOf(v.version) || '–', isoUtc(v.trainedAt), `${v.algorithm} (${v.engine})`, num(v.rows.usable, 0), metricsBeside(v.metrics, v.naiveMetrics), num(v.skill, 3), verdict(v.skill)]),
    { id: 'model-versions-table' },
  );
};

/** Importances, largest first, as bars scaled to the largest. */
const importanceBars = (v: ModelVersion): HTMLElement => {
  const sorted = Object.entries(v.importances).sort((a, b) => b[1] - a[1]);
  const top = Math.max(...sorted.map(([, x]) => x), 1e-12);
  return h('ol', { class: 'bars', id: 'importances', 'aria-label': `feature importances of v${v.version}` },
    ...sorted.map(([feature, x]) => h('li', {}, h('span', { class: 'bar-label' }, feature), h('span', { class: 'bar', style: `width:${((100 * x) / top).toFixed(1)}%` }), h('span', { class: 'bar-value' }, num(x, 4)))));
};

const trackRow = (label: string, scored: number, f: TrackFigures): (string | HTMLElement)[] => [
  label, num(scored, 0), pct(f.error, 3), pct(f.naiveError, 3), num(f.skill, 3), pct(f.hitRate, 1), pct(f.naiveHitRate, 1), LEVELS.map((l) => `${num(l * 100, 0)}%: ${pct(f.coverage[String(l)], 0)}`).join(', '), verdict(f.skill),
];
const TRACK_HEAD = ['Period (UTC)', 'Scored', 'Error', 'Naive error', 'Skill', 'Hit rate', 'Naive hit rate', 'Interval coverage', 'Against naive'];

const intervalOf = (p: Prediction, level: number): { lower: number; upper: number } | undefined =>
  p.output.kind === 'return-regression' ? p.output.intervals.find((i) => Math.abs(i.level - level) < 1e-9) : undefined;
const priceAt = (p: Prediction, logReturn: number): number => p.baseClose * Math.exp(logReturn);

const predictionRow = (p: Prediction): (string | HTMLElement)[] => {
  const o = p.output;
  const band = (level: number): string => {
    const i = intervalOf(p, level);
    return i === undefined ? '–' : `${price(priceAt(p, i.lower))} – ${price(priceAt(p, i.upper))}`;
  };
  const forecast = o.kind === 'return-regression' ? `${price(priceAt(p, o.point))} (${pct(o.point, 3)})` : `${o.label} (${Object.entries(o.probabilities).map(([k, x]) => `${k} ${pct(x, 0)}`).join(', ')})`;
  const s = p.score;
  const realised = s === null ? `pending until ${utc(p.targetTime)}` : `${price(s.realisedClose)} (${pct(s.realised, 3)})`;
  const [error, naiveError] = s === null ? ['–', '–'] : s.outcome.kind === 'return-regression' ? [pct(s.outcome.error, 3), pct(s.outcome.naiveError, 3)] : [s.outcome.correct ? 'right' : `wrong (${s.outcome.realisedLabel})`, s.outcome.naiveCorrect ? 'right' : 'wrong'];
  return [utc(p.madeAt), utc(p.barTime), price(p.baseClose), forecast, band(0.8), band(0.95), realised, error, naiveError];
};

export default async function modelsPage(root: HTMLElement, args: readonly string[]): Promise<Cleanup> {
  const listed = await load<{ models: ModelSummary[] }>('/api/v1/models', 'Models', PRODUCER);
  if (!listed.ok || listed.value.models.length === 0) {
    replace(root, h('h1', {}, 'Models'), h('section', { id: 'models' }, listed.ok ? emptyState('No models yet', `${PRODUCER}. Their versions, track record and predictions show here once one exists.`) : listed.view));
    return () => undefined;
  }
  const models = listed.value.models;
  const picker = h('select', { id: 'model-picker', 'aria-label': 'Model' }, ...models.map((m) => h('option', { value: m.modelId, selected: m.modelId === args[0] }, `${m.modelId} (${m.kind}, ${m.horizon})`)));
  const versions = h('section', { id: 'models' });
  const importances = h('section', { id: 'model-importances' });
  const track = h('section', { id: 'model-track-record' });
  const predictions = h('section', { id: 'model-predictions' });
  const chartBox = h('div', { class: 'chart small', id: 'prediction-chart', 'data-points': '0' });
  replace(
    root,
    h('h1', {}, 'Models'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Model ', picker)),
    versions,
    h('div', { class: 'columns' }, importances, track),
    h('section', {}, h('h2', {}, 'Predictions over the realised price'), chartBox, h('p', { class: 'muted' }, 'Line: realised closes (each prediction\'s base bar and, once scored, its target bar). Dots: predicted price at the target; dashed: the 80% and 95% intervals. Times in UTC.')),
    predictions,
  );
  const chart = createChart(chartBox, chartOptions());
  const line = (colour: string, style: LineStyle, lineVisible = true): ISeriesApi<'Line'> =>
    chart.addSeries(LineSeries, { color: colour, lineStyle: style, lineWidth: 1, lineVisible, pointMarkersVisible: true, priceLineVisible: false, lastValueVisible: false });
  const realisedLine = chart.addSeries(LineSeries, { color: '#c8d0da', lineWidth: 2, pointMarkersVisible: true, priceLineVisible: false });
  const predicted = line(COLOURS.ma, LineStyle.Solid, false);
  const bands = LEVELS.flatMap((level) => [
    { level, side: 'lower' as const, series: line(level === 0.8 ? COLOURS.band : COLOURS.rsi, LineStyle.Dashed) },
    { level, side: 'upper' as const, series: line(level === 0.8 ? COLOURS.band : COLOURS.rsi, LineStyle.Dashed) },
  ]);

  const draw = (all: readonly Prediction[], barMs: number): void => {
    const realised = new Map<number, number>();
    for (const p of all) {
      realised.set(seconds(p.barTime + barMs), p.baseClose);
      if (p.score !== null) realised.set(seconds(p.targetTime), p.score.realisedClose);
    }
    realisedLine.setData([...realised].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time: time as UTCTimestamp, value })));
    // One forecast per target time on the chart (the newest made); the table lists every one.
    const byTarget = new Map(all.filter((p) => p.output.kind === 'return-regression').map((p) => [seconds(p.targetTime), p]));
    const targets = [...byTarget].sort((a, b) => a[0] - b[0]);
    predicted.setData(targets.map(([time, p]) => ({ time, value: priceAt(p, p.output.kind === 'return-regression' ? p.output.point : 0) })));
    for (const b of bands) b.series.setData(targets.flatMap(([time, p]) => {
      const i = intervalOf(p, b.level);
      return i === undefined ? [] : [{ time, value: priceAt(p, i[b.side]) }];
    }));
    chart.timeScale().fitContent();
    chartBox.dataset['points'] = String(targets.length);
  };

  const show = async (): Promise<void> => {
    const id = encodeURIComponent(picker.value);
    const [detail, record, made] = await Promise.all([
      load<ModelDetail>(`/api/v1/models/${id}`, 'Model', PRODUCER),
      load<TrackRecord>(`/api/v1/models/${id}/track-record`, 'Track record', PREDICTIONS),
      load<{ predictions: Prediction[]; truncated: boolean }>(`/api/v1/predictions?model=${id}&limit=500`, 'Predictions', PREDICTIONS),
    ]);
    if (!detail.ok) replace(versions, h('h2', {}, 'Versions'), detail.view);
    else {
      const m = detail.value;
      const aliases = Object.entries(m.aliases);
      replace(
        versions,
        h('h2', {}, `${m.modelId}: ${m.kind}, ${m.symbol}, ${m.interval} bars, horizon ${m.horizon}`),
        h('p', { id: 'model-aliases' }, aliases.length === 0 ? 'No aliases: predictions name this model\'s version explicitly until one is promoted (POST /api/v1/models/aliases, risk role).' : `Aliases: ${aliases.map(([a, v]) => `${a} → v${v}`).join(', ')}.`),
        h('div', { class: 'scroll', tabindex: 0, 'aria-label': 'Versions (scrolls sideways on a narrow screen)' }, versionsTable(m)),
      );
      const shown = m.versions.find((v) => v.version === (m.aliases['champion'] ?? m.versions.length)) ?? m.versions[m.versions.length - 1]!;
      replace(importances, h('h2', {}, `Feature importances, v${shown.version}${m.aliases['champion'] === shown.version ? ' (champion)' : ''}`), importanceBars(shown));
      draw(made.ok ? made.value.predictions : [], BAR_MS[m.interval] ?? 3_600_000);
    }
    const r = record.ok ? record.value : null;
    replace(
      track,
      h('h2', {}, 'Live track record against the naive forecast'),
      !record.ok
        ? record.view
        : r === null || r.overall === null
          ? emptyState(`No scored predictions yet (${num(r?.predictions ?? 0, 0)} made)`, `${PREDICTIONS}, once the batch layer has settled the target bar.`)
          : h('div', { class: 'scroll', tabindex: 0, 'aria-label': 'Track record' }, table(TRACK_HEAD, [trackRow('Overall', r.overall.scored, r.overall), ...[...r.periods].reverse().map((p) => trackRow(p.day, p.scored, p.period))], { id: 'track-record-table' })),
      r === null ? null : h('details', {}, h('summary', {}, 'Definitions'), h('p', {}, r.definitions)),
    );
    replace(
      predictions,
      h('h2', {}, 'Predictions'),
      !made.ok
        ? made.view
        : made.value.predictions.length === 0
          ? emptyState('No predictions of this model yet', `${PREDICTIONS}.`)
          : h('div', { class: 'scroll tall', tabindex: 0, 'aria-label': 'Predictions' }, table(['Made at', 'Bar', 'Base close', 'Forecast', '80% interval', '95% interval', 'Realised', 'Error', 'Naive error'], [...made.value.predictions].reverse().map(predictionRow), { id: 'predictions-table' })),
    );
  };
  picker.addEventListener('change', () => void show());
  await show();
  return () => chart.remove();
}

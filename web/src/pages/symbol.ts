/**
 * Symbol: candlesticks (1m / 5m / 1h / 1d) with volume, the batch/speed boundary and the gaps the
 * API reports drawn over the chart, MA and Bollinger overlays, RSI and MACD panes computed here
 * from the candles, the order flow (taker delta, CVD, book imbalance) below them, live trades over
 * /ws/stream (the newest candle follows them), and the symbol's alerts as markers, live over /ws/alerts.
 */
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type SeriesMarker,
  type Time,
} from 'lightweight-charts';
import { get } from '../api.js';
import { COLOURS, chartOptions, seconds } from '../chartTheme.js';
import { errorBox, h, replace } from '../dom.js';
import { compact, num, price, utc, utcTime } from '../format.js';
import { bollinger, macd, rsi, sma, type Series } from '../indicators.js';
import { LiveSocket } from '../live.js';
import { INTERVAL_MS, INTERVALS, ohlcvPath, tradesOf, type Candle, type Interval, type OhlcvAnswer, type StreamMessage, type Trade } from '../market.js';
import { orderFlowPanel } from '../orderFlowPanel.js';
import { every, type Cleanup } from '../page.js';
import type { Alert, AlertFeedMessage } from './alertTypes.js';

const SPAN_MS: Record<Interval, number> = { '1m': 86_400_000, '5m': 7 * 86_400_000, '1h': 90 * 86_400_000, '1d': 3 * 365 * 86_400_000 };
const MAX_TRADES_SHOWN = 30;

type Overlay = 'ma' | 'bollinger' | 'rsi' | 'macd';

export default async function symbolPage(root: HTMLElement, args: readonly string[]): Promise<Cleanup> {
  const symbol = args[0] ?? (await get<{ symbols: string[] }>('/api/v1/symbols')).symbols[0];
  if (symbol === undefined) {
    replace(root, h('h1', {}, 'Symbol'), h('p', { class: 'empty' }, 'No symbols yet: the configured source has recorded no trade.'));
    return () => undefined;
  }
  let interval: Interval = INTERVALS.includes(args[1] as Interval) ? (args[1] as Interval) : '1m';
  const overlays = new Set<Overlay>(['ma', 'rsi']);

  const last = h('span', { class: 'big', id: 'symbol-last' }, '–');
  const intervalButtons = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Candle interval' });
  const overlayToggles = h('div', { class: 'toggles', role: 'group', 'aria-label': 'Indicators' });
  const chartBox = h('div', { class: 'chart', id: 'candles', 'data-candles': '0' });
  const marks = h('div', { class: 'chart-marks', 'aria-hidden': 'true' });
  const layers = h('p', { class: 'muted', id: 'layers' });
  const tradesBody = h('tbody');
  const alertsList = h('ul', { class: 'plain', id: 'symbol-alerts' });
  const orderFlow = orderFlowPanel();
  replace(
    root,
    h('div', { class: 'title-row' }, h('h1', {}, symbol), last, h('span', { class: 'muted' }, 'Times in UTC')),
    h('div', { class: 'toolbar' }, intervalButtons, overlayToggles),
    h('div', { class: 'chart-wrap' }, chartBox, marks),
    layers,
    orderFlow.element,
    h(
      'div',
      { class: 'columns' },
      h('section', {}, h('h2', {}, 'Live trades'), h('div', { class: 'scroll short' }, h('table', { id: 'trades' }, h('thead', {}, h('tr', {}, ...['Time', 'Exchange', 'Side', 'Price', 'Quantity'].map((c) => h('th', { scope: 'col' }, c)))), tradesBody))),
      h('section', {}, h('h2', {}, 'Alerts'), alertsList),
    ),
  );

  const chart: IChartApi = createChart(chartBox, chartOptions());
  const candles = chart.addSeries(CandlestickSeries, { upColor: COLOURS.up, downColor: COLOURS.down, wickUpColor: COLOURS.up, wickDownColor: COLOURS.down, borderVisible: false });
  const volume = chart.addSeries(HistogramSeries, { color: COLOURS.volume, priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  const markers = createSeriesMarkers(candles, []);
  let indicatorSeries: ISeriesApi<'Line' | 'Histogram'>[] = [];

  let bars: Candle[] = [];
  let answer: OhlcvAnswer | null = null;
  const alerts = new Map<string, Alert>();

  const line = (values: Series, colour: string, pane = 0, width: 1 | 2 = 1): ISeriesApi<'Line'> => {
    const s = chart.addSeries(LineSeries, { color: colour, lineWidth: width, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false }, pane);
    s.setData(bars.flatMap((b, i) => (values[i] === null || values[i] === undefined ? [] : [{ time: seconds(b.time), value: values[i]! }])));
    indicatorSeries.push(s);
    return s;
  };
  const drawIndicators = (): void => {
    for (const s of indicatorSeries) chart.removeSeries(s);
    indicatorSeries = [];
    const closes = bars.map((b) => b.close);
    if (overlays.has('ma')) line(sma(closes, 20), COLOURS.ma, 0, 2);
    if (overlays.has('bollinger')) {
      const bb = bollinger(closes, 20, 2);
      line(bb.upper, COLOURS.band);
      line(bb.middle, COLOURS.band);
      line(bb.lower, COLOURS.band);
    }
    let pane = 1;
    if (overlays.has('rsi')) {
      line(rsi(closes, 14), COLOURS.rsi, pane++);
    }
    if (overlays.has('macd')) {
      const m = macd(closes);
      const hist = chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false }, pane);
      hist.setData(bars.flatMap((b, i) => (m.histogram[i] === null ? [] : [{ time: seconds(b.time), value: m.histogram[i]!, color: m.histogram[i]! >= 0 ? COLOURS.up : COLOURS.down }])));
      indicatorSeries.push(hist);
      line(m.line, COLOURS.macd, pane);
      line(m.signal, COLOURS.signal, pane);
      pane++;
    }
    const panes = chart.panes();
    for (const [i, p] of panes.entries()) p.setStretchFactor(i === 0 ? 3 : 1);
  };

  const drawMarkers = (): void => {
    const width = INTERVAL_MS[interval];
    const first = bars[0]?.time ?? Infinity;
    const list: SeriesMarker<Time>[] = [...alerts.values()]
      .filter((a) => a.eventTime >= first)
      .sort((a, b) => a.eventTime - b.eventTime)
      .map((a) => ({ time: seconds(Math.floor(a.eventTime / width) * width), position: 'aboveBar', shape: 'arrowDown', color: a.severity === 'critical' ? COLOURS.down : a.severity === 'warning' ? COLOURS.ma : COLOURS.band, text: a.detector }));
    markers.setMarkers(list);
    replace(alertsList, ...[...alerts.values()].sort((a, b) => b.eventTime - a.eventTime).slice(0, 20).map((a) => h('li', {}, h('span', { class: `sev ${a.severity}` }, a.severity), ' ', h('a', { href: `#/alerts/${encodeURIComponent(a.alertId)}` }, a.message), h('span', { class: 'muted' }, ` ${utc(a.eventTime)}`))));
    if (alerts.size === 0) replace(alertsList, h('li', { class: 'muted' }, 'No alert on this symbol yet.'));
  };

  /** The batch/speed boundary and the gaps, placed over the chart at the bars' coordinates. */
  const drawLayerMarks = (): void => {
    marks.replaceChildren();
    if (answer === null || bars.length === 0) return;
    const ts = chart.timeScale();
    const firstBar = bars[0]!.time;
    const lastBar = bars[bars.length - 1]!.time;
    const x = (ms: number): number | null => {
      const clamped = Math.min(Math.max(ms, firstBar), lastBar);
      return ts.timeToCoordinate(seconds(Math.floor(clamped / INTERVAL_MS[interval]) * INTERVAL_MS[interval]));
    };
    const boundary = answer.batch?.computedThrough;
    if (boundary !== undefined && boundary > firstBar && boundary <= lastBar) {
      const bx = x(boundary);
      if (bx !== null) marks.append(h('div', { class: 'boundary', style: `left:${bx}px`, title: `batch view through ${utc(boundary)}; speed layer after` }, h('span', {}, 'batch | speed')));
    }
    for (const g of answer.gaps) {
      const from = x(g.from);
      const to = x(g.to);
      if (from === null || to === null || to - from < 2) continue;
      marks.append(h('div', { class: 'gap', style: `left:${from}px;width:${to - from}px`, title: `gap ${utc(g.from)} – ${utc(g.to)}: ${g.reason}` }, h('span', {}, 'gap')));
    }
  };
  chart.timeScale().subscribeVisibleLogicalRangeChange(() => requestAnimationFrame(drawLayerMarks));

  const showLayers = (a: OhlcvAnswer): void => {
    const parts = [
      `Served by ${a.sources.map((s) => `${s.layer} ${utc(s.from)} – ${utc(s.to)}`).join(', ') || 'no layer yet'}`,
      a.batch === null ? 'no batch view yet' : `batch view v${a.batch.version} through ${utc(a.batch.computedThrough)}`,
      a.gaps.length === 0 ? 'no gaps' : `${a.gaps.length.toLocaleString('en-US')} gap(s): ${a.gaps.map((g) => `${utc(g.from)} – ${utc(g.to)} (${g.reason})`).join('; ')}`,
    ];
    if (a.degraded) parts.push('degraded: the batch layer did not answer');
    layers.textContent = `${parts.join(' · ')}.`;
  };

  const setBars = (next: Candle[]): void => {
    bars = next;
    candles.setData(bars.map((b) => ({ time: seconds(b.time), open: b.open, high: b.high, low: b.low, close: b.close })));
    volume.setData(bars.map((b) => ({ time: seconds(b.time), value: b.volume, color: b.close >= b.open ? '#2f5d4a' : '#5d2f35' })));
    drawIndicators();
    drawMarkers();
    markDrawn();
  };
  /** Tells tests and the bench what is on the canvas: the candle count, and the newest candle's time and close. */
  const markDrawn = (): void => {
    const newest = bars[bars.length - 1];
    chartBox.dataset['candles'] = String(bars.length);
    chartBox.dataset['lastTime'] = newest === undefined ? '' : String(newest.time);
    chartBox.dataset['lastClose'] = newest === undefined ? '' : String(newest.close);
    chartBox.dataset['lastVolume'] = newest === undefined ? '' : String(newest.volume);
    if (bars.length > 0 && !performance.getEntriesByName('first-candle').length) requestAnimationFrame(() => performance.mark('first-candle'));
    requestAnimationFrame(drawLayerMarks);
  };

  const load = async (): Promise<void> => {
    const now = Date.now();
    const a = await get<OhlcvAnswer>(ohlcvPath(symbol, interval, now - SPAN_MS[interval], now + INTERVAL_MS[interval]));
    answer = a;
    showLayers(a);
    setBars(a.candles);
    // After the candles, on the same range: the panel says itself if it cannot read its bars.
    void orderFlow.load(symbol, interval, now - SPAN_MS[interval], now + INTERVAL_MS[interval]);
    if (a.candles.length === 0) layers.textContent = `No ${interval} candles yet for ${symbol} in the last ${compact(SPAN_MS[interval] / 86_400_000)} day(s). ${layers.textContent}`;
  };

  const showError = (e: unknown): void => {
    layers.replaceChildren(errorBox(`The candles could not be read: ${e instanceof Error ? e.message : String(e)}`));
  };
  // The candles first: everything else on the page can arrive after them.
  const stopReload = every(60_000, () => load().catch(showError));

  /** The newest bar follows the trades until the next reload brings the served candle. */
  const applyTrade = (t: Trade): void => {
    const width = INTERVAL_MS[interval];
    const bucket = Math.floor(t.eventTime / width) * width;
    const p = Number(t.price);
    const q = Number(t.quantity);
    const newest = bars[bars.length - 1];
    if (newest !== undefined && bucket < newest.time) return; // late trade: the next reload has it
    const bar: Candle =
      newest !== undefined && newest.time === bucket
        ? { ...newest, high: Math.max(newest.high, p), low: Math.min(newest.low, p), close: p, volume: newest.volume + q, trades: newest.trades + 1 }
        : { time: bucket, open: p, high: p, low: p, close: p, volume: q, quoteVolume: p * q, vwap: p, trades: 1 };
    if (newest !== undefined && newest.time === bucket) bars[bars.length - 1] = bar;
    else bars.push(bar);
    candles.update({ time: seconds(bar.time), open: bar.open, high: bar.high, low: bar.low, close: bar.close });
    volume.update({ time: seconds(bar.time), value: bar.volume, color: bar.close >= bar.open ? '#2f5d4a' : '#5d2f35' });
  };

  const recentTrades: Trade[] = [];
  let pendingFrame = 0;
  const paintTrades = (): void => {
    pendingFrame = 0;
    replace(tradesBody, ...recentTrades.map((t) => h('tr', {}, h('td', {}, utcTime(t.eventTime)), h('td', {}, t.exchange), h('td', { class: t.side === 'buy' ? 'up' : 'down' }, t.side), h('td', { class: 'num' }, price(t.price)), h('td', { class: 'num' }, num(Number(t.quantity), 4)))));
    const newest = recentTrades[0];
    if (newest !== undefined) last.textContent = price(newest.price);
    markDrawn();
  };
  const stream = new LiveSocket(
    () => `/ws/stream/${encodeURIComponent(symbol)}`,
    (m) => {
      const trades = tradesOf(m as StreamMessage);
      if (trades.length === 0) return;
      for (const t of trades) applyTrade(t);
      recentTrades.unshift(...trades.reverse());
      recentTrades.length = Math.min(recentTrades.length, MAX_TRADES_SHOWN);
      pendingFrame ||= requestAnimationFrame(paintTrades);
    },
  );

  const page = await get<{ alerts: (Alert & { position: number })[]; throughPosition: number }>(`/api/v1/alerts?symbol=${encodeURIComponent(symbol)}&limit=200`);
  for (const a of page.alerts) alerts.set(a.alertId, a);
  let alertPosition = page.throughPosition;
  const alertFeed = new LiveSocket(
    () => `/ws/alerts?symbols=${encodeURIComponent(symbol)}&from=${alertPosition}`,
    (m) => {
      const msg = m as AlertFeedMessage;
      alertPosition = Math.max(alertPosition, msg.position);
      if (msg.type === 'alert-raised') alerts.set(msg.alert.alertId, msg.alert);
      drawMarkers();
    },
  );

  const setInterval = (next: Interval): void => {
    interval = next;
    history.replaceState(null, '', `#/symbol/${encodeURIComponent(symbol)}/${interval}`);
    for (const b of intervalButtons.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset['interval'] === interval));
    load().catch(showError);
  };
  for (const i of INTERVALS) intervalButtons.append(h('button', { type: 'button', 'data-interval': i, 'aria-pressed': String(i === interval), onclick: () => setInterval(i) }, i));
  const labels: Record<Overlay, string> = { ma: 'MA 20', bollinger: 'Bollinger 20, 2σ', rsi: 'RSI 14', macd: 'MACD 12, 26, 9' };
  for (const o of Object.keys(labels) as Overlay[]) {
    const box = h('input', { type: 'checkbox', id: `overlay-${o}`, checked: overlays.has(o) });
    box.addEventListener('change', () => {
      if (box.checked) overlays.add(o);
      else overlays.delete(o);
      drawIndicators();
    });
    overlayToggles.append(h('label', { for: `overlay-${o}` }, box, ` ${labels[o]}`));
  }
  return () => {
    stopReload();
    stream.close();
    alertFeed.close();
    cancelAnimationFrame(pendingFrame);
    chart.remove();
    orderFlow.remove();
  };
}

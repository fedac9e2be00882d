/**
 * The symbol page's order-flow panel (GET /api/v1/orderflow): per bar, the taker delta
 * (buy − sell) as bars coloured by sign with the cumulative volume delta as a line over them, and
 * the book imbalance in [−1, 1] in a pane below; a bar whose book was not observed has no
 * imbalance point (a break in the line), never a zero.
 */
import { createChart, HistogramSeries, LineSeries, type IChartApi } from 'lightweight-charts';
import { get } from './api.js';
import { COLOURS, chartOptions, seconds } from './chartTheme.js';
import { errorBox, h } from './dom.js';
import { orderFlowPath, type Interval, type OrderFlowAnswer } from './market.js';

const NOTE = 'Taker delta (bars), cumulative volume delta (line) and book imbalance (lower pane; gaps where the book was not observed).';

export interface OrderFlowPanel {
  readonly element: HTMLElement;
  load(symbol: string, interval: Interval, from: number, to: number): Promise<void>;
  remove(): void;
}

export const orderFlowPanel = (): OrderFlowPanel => {
  const box = h('div', { class: 'chart small', id: 'orderflow', 'data-bars': '0' });
  const note = h('p', { class: 'muted' }, NOTE);
  const element = h('section', {}, h('h2', {}, 'Order flow'), box, note);
  const chart: IChartApi = createChart(box, chartOptions());
  const delta = chart.addSeries(HistogramSeries, { priceLineVisible: false, lastValueVisible: false, priceFormat: { type: 'volume' } });
  const cvd = chart.addSeries(LineSeries, { color: COLOURS.ma, lineWidth: 2, priceScaleId: 'left', priceLineVisible: false, priceFormat: { type: 'volume' } });
  chart.priceScale('left').applyOptions({ visible: true, borderColor: '#2a3644' });
  const imbalance = chart.addSeries(LineSeries, { color: COLOURS.band, lineWidth: 1, priceLineVisible: false, priceFormat: { type: 'price', precision: 2, minMove: 0.01 } }, 1);
  chart.panes()[1]?.setStretchFactor(0.5);

  return {
    element,
    async load(symbol, interval, from, to) {
      try {
        const { bars } = await get<OrderFlowAnswer>(orderFlowPath(symbol, interval, from, to));
        delta.setData(bars.map((b) => ({ time: seconds(b.time), value: Number(b.delta), color: Number(b.delta) >= 0 ? COLOURS.up : COLOURS.down })));
        cvd.setData(bars.map((b) => ({ time: seconds(b.time), value: Number(b.cvd) })));
        // A whitespace point (time only) breaks the line where the book was not observed.
        imbalance.setData(bars.map((b) => (b.imbalance === null ? { time: seconds(b.time) } : { time: seconds(b.time), value: b.imbalance })));
        box.dataset['bars'] = String(bars.length);
        note.replaceChildren(NOTE);
      } catch (e) {
        note.replaceChildren(errorBox(`The order flow could not be read: ${e instanceof Error ? e.message : String(e)}`));
      }
    },
    remove: () => chart.remove(),
  };
};

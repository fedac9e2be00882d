/** One look for every chart: dark, UTC times, prices with thousands separators. */
import type { DeepPartial, ChartOptions, UTCTimestamp } from 'lightweight-charts';
import { price } from './format.js';

export const chartOptions = (): DeepPartial<ChartOptions> => ({
  autoSize: true,
  layout: { background: { color: '#131a22' }, textColor: '#c8d0da', fontSize: 12, panes: { separatorColor: '#2a3644' } },
  grid: { vertLines: { color: '#1d2630' }, horzLines: { color: '#1d2630' } },
  timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a3644' },
  rightPriceScale: { borderColor: '#2a3644' },
  localization: { priceFormatter: (p: number) => price(p), locale: 'en-US' },
});

export const COLOURS = { up: '#4caf87', down: '#e06c75', ma: '#e5c07b', band: '#61afef', rsi: '#c678dd', macd: '#61afef', signal: '#e5c07b', volume: '#3b4a5c' } as const;

/** A chart's time: epoch seconds, from the API's epoch milliseconds. */
export const seconds = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

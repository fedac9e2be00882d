/**
 * Correlation and network answers as of a UTC day, from the closes of the merged candles (batch view ∪
 * speed layer, read-models/ohlcv.ts): 1d candles for the 30/90/365-day windows, 1m candles for 24h.
 * Without a symbol list, the `top` symbols by quote volume over the window are taken (the design's
 * "top coins" network). Each answer names the batch view versions its closes came from.
 */
import { returnTable, correlationMatrix, type ReturnTable } from '../../domain/analytics/correlation.js';
import { WINDOW_SPECS, type CorrelationMethod, type CorrelationWindow } from '../../domain/analytics/definitions.js';
import { simpleReturns, type Close } from '../../domain/risk/returns.js';
import { DAY_MS, utcDay } from '../../domain/time.js';
import type { OhlcvReader } from '../risk.js';
import { correlationContent, networkContent, type CorrelationContent, type Hashed, type NetworkContent } from './analyticsViews.js';

export interface SymbolSelection {
  /** The symbols asked for, or null for the `top` by quote volume among all known symbols. */
  readonly symbols: readonly string[] | null;
  readonly top: number;
}

export interface AnalyticsQuery extends SymbolSelection {
  /** Start of the as-of UTC day. */
  readonly asOf: number;
  readonly window: CorrelationWindow;
  readonly method: CorrelationMethod;
}

export interface Provenance {
  /** How the symbols were chosen. */
  readonly selection: 'given' | { readonly topByQuoteVolume: number; readonly among: number };
  /** Per symbol, the OHLCV batch view version its closes came from (null: speed layer only). */
  readonly batch: Readonly<Record<string, number | null>>;
  /** The batch layer was unavailable for some symbol: its closes came from the speed layer alone. */
  readonly degraded: boolean;
}

export interface WindowReturns extends Provenance {
  readonly table: ReturnTable;
  /** The closes the table's returns came from, per symbol in table order (what the Spark engine is given). */
  readonly closes: ReadonlyArray<{ readonly symbol: string; readonly closes: readonly Close[] }>;
}

export interface AnalyticsReaders {
  readonly ohlcv: OhlcvReader;
  readonly symbols: () => Promise<string[]>;
}

/** The returns of every selected symbol in the window ending at the as-of day's last bar. */
export const windowReturns = async (readers: AnalyticsReaders, q: SymbolSelection & { asOf: number; window: CorrelationWindow }): Promise<WindowReturns> => {
  const spec = WINDOW_SPECS[q.window];
  const to = q.asOf + DAY_MS;
  const from = to - (spec.returns + 1) * spec.step;
  const candidates = q.symbols ?? (await readers.symbols());
  const series = await Promise.all(candidates.map(async (symbol) => {
    const a = await readers.ohlcv({ symbol, interval: spec.interval, from, to });
    const closes = a.candles.map((c) => ({ time: c.time, close: c.close }));
    return {
      symbol,
      closes,
      returns: simpleReturns(closes, spec.step),
      quoteVolume: a.candles.reduce((sum, c) => sum + c.quoteVolume, 0),
      batch: a.batch?.version ?? null,
      degraded: a.degraded,
    };
  }));
  const chosen = q.symbols !== null
    ? series
    : [...series].sort((a, b) => b.quoteVolume - a.quoteVolume || (a.symbol < b.symbol ? -1 : 1)).slice(0, q.top).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
  return {
    table: returnTable(chosen),
    closes: chosen.map((s) => ({ symbol: s.symbol, closes: s.closes })),
    selection: q.symbols !== null ? 'given' : { topByQuoteVolume: q.top, among: candidates.length },
    batch: Object.fromEntries(chosen.map((s) => [s.symbol, s.batch])),
    degraded: chosen.some((s) => s.degraded),
  };
};

export type CorrelationAnswer = Hashed<CorrelationContent> & Provenance;
export type NetworkAnswer = Hashed<NetworkContent> & Provenance;

export const queryCorrelation = async (readers: AnalyticsReaders, q: AnalyticsQuery): Promise<CorrelationAnswer> => {
  const { table, closes: _closes, ...provenance } = await windowReturns(readers, q);
  return { ...correlationContent(correlationMatrix(table, q.method), utcDay(q.asOf), q.method, q.window), ...provenance };
};

export const queryNetwork = async (readers: AnalyticsReaders, q: AnalyticsQuery & { threshold: number }): Promise<NetworkAnswer> => {
  const { table, closes: _closes, ...provenance } = await windowReturns(readers, q);
  return { ...networkContent(correlationMatrix(table, q.method), utcDay(q.asOf), q.method, q.window, q.threshold), ...provenance };
};

/** Answers of the market routes: symbols, realtime, merged OHLCV (read-models/ohlcv.ts, realtime.ts). */
import { arrayOf, boolean, epochMs, integer, interval, isoInstant, nullable, number, object, position, string, symbol, figure, type Schema } from './common.js';

export const candle = object({
  time: epochMs, open: number, high: number, low: number, close: number, volume: number, quoteVolume: number,
  vwap: number, takerBuyVolume: number, takerSellVolume: number, trades: integer,
});

const span = (fields: Record<string, unknown>): Schema => object({ from: epochMs, to: epochMs, fromIso: isoInstant, toIso: isoInstant, ...fields });

/** The envelope of a merged-candle answer (OHLCV, order flow): range, layers, gaps, batch version. */
export const mergedEnvelope = {
  symbol,
  interval,
  exchange: nullable(string),
  from: epochMs,
  to: epochMs,
  fromIso: isoInstant,
  toIso: isoInstant,
  sources: arrayOf(span({ layer: { type: 'string', enum: ['batch', 'speed'] } })),
  gaps: arrayOf(span({ reason: string })),
  batch: nullable(object({ version: integer, computedThrough: nullable(number) })),
  degraded: boolean,
};

export const ohlcvAnswer = object({ ...mergedEnvelope, candles: arrayOf(candle) });

export const latestTrade = object({
  exchange: string, symbol, tradeId: string, price: string, quantity: string, side: { type: 'string', enum: ['buy', 'sell'] }, eventTime: epochMs, position,
});

export const realtimeAnswer = object({
  symbol,
  last: nullable(latestTrade),
  exchanges: arrayOf(object({
    exchange: string,
    last: nullable(latestTrade),
    /** -Infinity (null in JSON) before the exchange's first trade. */
    watermark: nullable(number),
    lateEvents: integer,
    currentMinute: nullable(candle),
    stats: object({ minutes: integer, vwap: figure, realizedVolatility: figure, returnZScore: figure, lastReturn: figure }),
  })),
});

export const symbolsAnswer = object({ symbols: arrayOf(symbol) });

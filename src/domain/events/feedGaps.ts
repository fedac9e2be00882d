/**
 * Holes in a live feed, kept as facts: a connector that sees trade ids (or sequence numbers) jump
 * records what is missing, and, when it fetched the missing trades from the exchange's REST API,
 * how many it recovered. A gap is never papered over: a reader can always tell a quiet market
 * from a lost connection.
 */
import * as t from 'io-ts';
import { EventTime, ExchangeIdCodec, MarketSymbolCodec, NonEmptyString, NonNegativeInt } from '../validation.js';

export const FeedGapDetectedData = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  /** What numbers the ids: `trade-id` (Binance t, Coinbase trade_id) or `aggregate-trade-id`. */
  sequence: NonEmptyString,
  /** The last id seen before the hole and the first one after it: ids strictly between are missing. */
  lastSeen: NonNegativeInt,
  resumedAt: NonNegativeInt,
  missing: NonNegativeInt,
  detectedAt: EventTime,
});
export type FeedGapDetectedData = t.TypeOf<typeof FeedGapDetectedData>;

export const FeedGapHealedData = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  sequence: NonEmptyString,
  lastSeen: NonNegativeInt,
  resumedAt: NonNegativeInt,
  /** Trades fetched from REST and recorded; `missing - recovered` stay lost. */
  recovered: NonNegativeInt,
  healedAt: EventTime,
});
export type FeedGapHealedData = t.TypeOf<typeof FeedGapHealedData>;

export const feedGapKey = (g: { exchange: string; symbol: string; sequence: string; lastSeen: number; resumedAt: number }): string =>
  `${g.exchange}:${g.symbol}:${g.sequence}:${g.lastSeen}-${g.resumedAt}`;

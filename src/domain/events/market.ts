/** Market facts observed at a source: trades, candles, market snapshots, sentiment. */
import * as t from 'io-ts';
import {
  DecimalString,
  EventTime,
  ExchangeIdCodec,
  IntervalCodec,
  MarketSymbolCodec,
  NonEmptyString,
  NonNegativeInt,
  PositiveDecimalString,
} from '../validation.js';

/**
 * The canonical trade. `side` is the taker's side (`buy` when the buyer was the aggressor).
 * Price and quantity are the exchange's decimal strings, unchanged. (exchange, symbol, tradeId) is unique.
 */
export const TradeData = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  tradeId: NonEmptyString,
  price: PositiveDecimalString,
  quantity: PositiveDecimalString,
  side: t.keyof({ buy: null, sell: null }),
  eventTime: EventTime,
});
export type TradeData = t.TypeOf<typeof TradeData>;

/** A closed candle as the exchange published it (klines). `openTime` is the bucket start. */
export const CandleData = t.type({
  exchange: ExchangeIdCodec,
  symbol: MarketSymbolCodec,
  interval: IntervalCodec,
  openTime: EventTime,
  open: PositiveDecimalString,
  high: PositiveDecimalString,
  low: PositiveDecimalString,
  close: PositiveDecimalString,
  volume: DecimalString,
  quoteVolume: DecimalString,
  trades: NonNegativeInt,
});
export type CandleData = t.TypeOf<typeof CandleData>;

/** Market-wide figures for one asset from an aggregator such as CoinGecko. */
export const MarketSnapshotData = t.type({
  provider: ExchangeIdCodec,
  assetId: NonEmptyString,
  symbol: MarketSymbolCodec,
  priceUsd: DecimalString,
  marketCapUsd: DecimalString,
  volume24hUsd: DecimalString,
  rank: t.union([NonNegativeInt, t.null]),
  eventTime: EventTime,
});
export type MarketSnapshotData = t.TypeOf<typeof MarketSnapshotData>;

/** Social/news sentiment for one symbol and minute. Score in [-1, 1]. */
export const SentimentData = t.type({
  provider: NonEmptyString,
  symbol: MarketSymbolCodec,
  minute: EventTime,
  score: t.number,
  posts: NonNegativeInt,
});
export type SentimentData = t.TypeOf<typeof SentimentData>;

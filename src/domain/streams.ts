/**
 * Stream names. Market facts are split by exchange, symbol and event-time day, so that a
 * symbol-day (the unit a recompute rebuilds) is read as a handful of streams.
 */
import { utcDay } from './time.js';

export const tradeStream = (exchange: string, symbol: string, eventTime: number): string =>
  `trades/${exchange}/${symbol}/${utcDay(eventTime)}`;
export const candleStream = (exchange: string, symbol: string, eventTime: number): string =>
  `candles/${exchange}/${symbol}/${utcDay(eventTime)}`;
export const marketStream = (provider: string, symbol: string): string => `market/${provider}/${symbol}`;
/** What every book digest stream's name starts with (then `<exchange>/<SYMBOL>/<day>`). */
export const BOOK_DIGEST_STREAM_PREFIX = 'book-digests/';
/** One book's digests, one per interval, per event-time day. */
export const bookDigestStream = (exchange: string, symbol: string, intervalStart: number): string => `${BOOK_DIGEST_STREAM_PREFIX}${exchange}/${symbol}/${utcDay(intervalStart)}`;
/** One exchange's book of one symbol: its resyncs (and digests). */
export const bookStream = (exchange: string, symbol: string): string => `books/${exchange}/${symbol}`;
export const feedGapStream = (exchange: string, symbol: string): string => `gaps/${exchange}/${symbol}`;
export const sentimentStream = (symbol: string): string => `sentiment/${symbol}`;
export const rejectedStream = (source: string): string => `rejected/${source.split(':')[0] ?? source}`;
export const correctionStream = (symbol: string): string => `corrections/${symbol}`;
export const recomputeStream = (symbol: string): string => `recompute/${symbol}`;
export const viewStream = (view: string): string => `views/${view}`;
export const alertRuleStream = (ruleId: string): string => `alert-rules/${ruleId}`;
export const alertStream = (symbol: string): string => `alerts/${symbol}`;
export const alertSubscriptionStream = (subscriptionId: string): string => `alert-subscriptions/${subscriptionId}`;
export const riskStream = (symbol: string): string => `risk/${symbol}`;
/** Every API key's issue and revocation, in one stream: the keys are its fold (domain/access/apiKeys.ts). */
export const API_KEY_STREAM = 'api-keys';
export const backtestStream = (backtestId: string): string => `backtests/${backtestId}`;
export const portfolioStream = (portfolioId: string): string => `portfolios/${portfolioId}`;
export const portfolioRiskStream = (portfolioId: string): string => `risk-portfolios/${portfolioId}`;
/** A portfolio's optimisations; those of bare symbol sets share one stream, outside the portfolios' names. */
export const portfolioOptimisationStream = (portfolioId: string | null): string => (portfolioId === null ? 'symbol-optimisations' : `optimisations/${portfolioId}`);
export const predictionStream = (symbol: string): string => `predictions/${symbol}`;
/** One registered model's trainings (its versions) and alias changes. */
export const modelStream = (modelId: string): string => `models/${modelId}`;

/** Prefix of every market-fact stream of one symbol on one day, across exchanges. */
export const symbolDayStreamPattern = (kind: 'trades' | 'candles', symbol: string, day: string): { prefix: string; suffix: string } => ({
  prefix: `${kind}/`,
  suffix: `/${symbol}/${day}`,
});

export const candleKey = (c: { exchange: string; symbol: string; interval: string; openTime: number }): string =>
  `candle/${c.exchange}/${c.symbol}/${c.interval}/${c.openTime}`;

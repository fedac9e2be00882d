/** Messages the live projection fans out per symbol, as WebSocket clients receive them. */
import type { TradeData } from '../../domain/events/market.js';
import type { CandleView } from '../../domain/folds/candle.js';

export type StreamMessage =
  | { readonly type: 'trade'; readonly position: number; readonly trade: TradeData }
  | { readonly type: 'trades'; readonly trades: readonly StreamMessage[] }
  | { readonly type: 'candle'; readonly exchange: string; readonly interval: '1m'; readonly candle: CandleView };

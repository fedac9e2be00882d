/** Shapes of the market API's answers the pages read (src/read-models/ohlcv.ts, orderFlow.ts, realtime.ts). */
export interface Candle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly quoteVolume: number;
  readonly vwap: number;
  readonly trades: number;
}
export interface Span {
  readonly from: number;
  readonly to: number;
}
export interface OhlcvAnswer {
  readonly symbol: string;
  readonly interval: string;
  readonly from: number;
  readonly to: number;
  readonly candles: Candle[];
  readonly sources: (Span & { readonly layer: 'batch' | 'speed' })[];
  readonly gaps: (Span & { readonly reason: string })[];
  readonly batch: { readonly version: number; readonly computedThrough: number } | null;
  readonly degraded: boolean;
}
/** One bar of GET /api/v1/orderflow: volumes as exact decimal strings; imbalance null where the book was not observed. */
export interface OrderFlowBar {
  readonly time: number;
  readonly takerBuyVolume: string;
  readonly takerSellVolume: string;
  readonly delta: string;
  readonly cvd: string;
  readonly imbalance: number | null;
}
export interface OrderFlowAnswer {
  readonly bars: OrderFlowBar[];
}
export interface Trade {
  readonly exchange: string;
  readonly symbol: string;
  readonly tradeId: string;
  readonly price: string;
  readonly quantity: string;
  readonly side: 'buy' | 'sell';
  readonly eventTime: number;
}
export type StreamMessage =
  | { readonly type: 'hello'; readonly symbol: string; readonly realtime: unknown }
  | { readonly type: 'trade'; readonly position: number; readonly trade: Trade }
  | { readonly type: 'trades'; readonly trades: readonly StreamMessage[] }
  | { readonly type: 'candle'; readonly exchange: string; readonly interval: '1m'; readonly candle: Candle };

/** The trades a stream message carries, flattened. */
export const tradesOf = (m: StreamMessage): Trade[] =>
  m.type === 'trade' ? [m.trade] : m.type === 'trades' ? m.trades.flatMap(tradesOf) : [];

export const INTERVAL_MS = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type Interval = keyof typeof INTERVAL_MS;
export const INTERVALS = Object.keys(INTERVAL_MS) as Interval[];

const rangePath = (route: string) => (symbol: string, interval: Interval, from: number, to: number): string =>
  `/api/v1/${route}/${encodeURIComponent(symbol)}?interval=${interval}&from=${Math.floor(from)}&to=${Math.ceil(to)}`;
export const ohlcvPath = rangePath('ohlcv');
export const orderFlowPath = rangePath('orderflow');

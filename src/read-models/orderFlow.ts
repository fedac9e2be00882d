/**
 * The order-flow answer: the merged candles of the range (the OHLCV answer's, exact, with its
 * sources, gaps and batch version) folded into order-flow bars with the book imbalance of each bar
 * (domain/orderflow/). The imbalance comes from the books this process holds live where it has
 * observed them, and from the lake before that (read-models/barImbalance.ts).
 */
import type { Candle } from '../domain/folds/candle.js';
import type { ImbalanceMinute } from '../domain/orderflow/bookImbalance.js';
import { orderFlowBars, type OrderFlowBar } from '../domain/orderflow/orderFlow.js';
import type { OhlcvAnswer, OhlcvQuery } from './ohlcv.js';

export type OrderFlowQuery = OhlcvQuery;

export type OrderFlowAnswer = Omit<OhlcvAnswer<never>, 'candles'> & { readonly bars: OrderFlowBar[] };

export interface OrderFlowSources {
  /** The merged candles, exact (read-models/ohlcv.ts `queryMergedCandles`). */
  candles(q: OhlcvQuery): Promise<OhlcvAnswer<Candle>>;
  /** Imbalance minutes in [from, to) of the symbol's books: one exchange's, or all summed. */
  imbalance(symbol: string, exchange: string | undefined, from: number, to: number): Promise<ImbalanceMinute[]>;
}

export const queryOrderFlow = async (sources: OrderFlowSources, q: OrderFlowQuery): Promise<OrderFlowAnswer> => {
  const { candles, ...answer } = await sources.candles(q);
  return { ...answer, bars: orderFlowBars(candles, await sources.imbalance(q.symbol, q.exchange, answer.from, answer.to), q.interval) };
};

/**
 * Rows of Binance trade dumps → canonical trades, or `rejected` items.
 *
 *   trades     id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match]
 *   aggTrades  agg_trade_id, price, quantity, first_trade_id, last_trade_id, transact_time,
 *              is_buyer_maker[, is_best_match]
 *
 * Spot dumps have the trailing is_best_match column, USDⓈ-M futures dumps do not; both are
 * accepted. `is_buyer_maker = true` means the seller was the taker, so the canonical side (the
 * taker's) is `sell`. Aggregate trade ids get an `a` prefix: they are a different sequence from
 * the plain trade ids of the same symbol, and the two must never collide in the ledger.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { isDecimal, isUnsignedInteger, parseBoolean, parseEpochMs, splitCsv } from './csvFields.js';

export interface TradeRowContext {
  readonly exchange: string;
  readonly symbol: string;
  /** `file:line`, for the reason of a rejection. */
  readonly where: string;
}

interface Layout {
  readonly what: string;
  readonly columns: readonly [number, number];
  readonly id: number;
  readonly price: number;
  readonly quantity: number;
  readonly time: number;
  readonly buyerMaker: number;
  readonly idPrefix: string;
}

const TRADES: Layout = { what: 'trades', columns: [6, 7], id: 0, price: 1, quantity: 2, time: 4, buyerMaker: 5, idPrefix: '' };
const AGG_TRADES: Layout = { what: 'aggTrades', columns: [7, 8], id: 0, price: 1, quantity: 2, time: 5, buyerMaker: 6, idPrefix: 'a' };

const decodeWith = (layout: Layout, line: string, ctx: TradeRowContext): SourceItem => {
  const reject = (why: string): SourceItem => ({ kind: 'rejected', reason: `${ctx.where}: ${why}`, raw: line });
  const cells = splitCsv(line);
  const [fewest, most] = layout.columns;
  if (cells.length < fewest || cells.length > most) {
    return reject(`expected ${fewest} or ${most} ${layout.what} columns, got ${cells.length}`);
  }
  const id = cells[layout.id]!;
  if (!isUnsignedInteger(id)) return reject(`trade id must be an unsigned integer, got "${id}"`);
  const price = cells[layout.price]!;
  if (!isDecimal(price)) return reject(`price must be a decimal number, got "${price}"`);
  const quantity = cells[layout.quantity]!;
  if (!isDecimal(quantity)) return reject(`quantity must be a decimal number, got "${quantity}"`);
  const eventTime = parseEpochMs(cells[layout.time]!);
  if (eventTime === undefined) return reject(`time must be an integer timestamp, got "${cells[layout.time]}"`);
  const buyerMaker = parseBoolean(cells[layout.buyerMaker]!);
  if (buyerMaker === undefined) return reject(`is_buyer_maker must be true or false, got "${cells[layout.buyerMaker]}"`);
  const data: TradeData = {
    exchange: ctx.exchange,
    symbol: ctx.symbol,
    tradeId: layout.idPrefix + id,
    price,
    quantity,
    side: buyerMaker ? 'sell' : 'buy',
    eventTime,
  };
  return { kind: 'trade', data };
};

export const decodeTradeRow = (line: string, ctx: TradeRowContext): SourceItem => decodeWith(TRADES, line, ctx);
export const decodeAggTradeRow = (line: string, ctx: TradeRowContext): SourceItem => decodeWith(AGG_TRADES, line, ctx);

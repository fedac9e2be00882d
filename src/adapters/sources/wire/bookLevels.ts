/**
 * Book levels as most exchanges write them: a list of [price, quantity, ...] with both as decimal
 * strings (OKX, Bybit, Binance, Bitstamp, Coinbase's REST book). Read into the canonical
 * [price, quantity] pairs, or the reason they are not.
 */
import type { BookLevel } from '../../../domain/orderbook/bookEvents.js';
import { MAX_EVENT_TIME, MIN_EVENT_TIME } from '../../../domain/time.js';
import { isDecimalText, show } from './wireFields.js';

/** The levels, or a sentence saying which one was wrong and how. */
export const stringLevels = (list: unknown, side: string): BookLevel[] | string => {
  if (!Array.isArray(list)) return `${side} must be a list of [price, quantity], got ${show(list)}`;
  const out: BookLevel[] = [];
  for (const l of list) {
    if (!Array.isArray(l) || !isDecimalText(l[0]) || !isDecimalText(l[1])) return `each of ${side} must be [price, quantity] as decimal strings, got ${show(l)}`;
    out.push([l[0], l[1]]);
  }
  return out;
};

/** Epoch milliseconds (within the event-time range) given as a number or as digits in a string (OKX's `ts`). */
export const epochMillis = (u: unknown): number | undefined => {
  const n = typeof u === 'string' && /^\d{1,16}$/.test(u) ? Number(u) : u;
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_EVENT_TIME && n < MAX_EVENT_TIME ? n : undefined;
};

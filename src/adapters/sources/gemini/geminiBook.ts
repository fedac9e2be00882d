/**
 * Gemini's v2 `l2` book changes (Market Data v2, "Level 2 Data") → canonical book events:
 *
 *   { type: "l2_updates", symbol: "BTCUSD", changes: [["buy", "9122.04", "0.00121425"], ...],
 *     trades: [...] }
 *
 * The first l2_updates of a symbol (the one that also carries `trades`) is the whole book; later
 * ones carry the changed levels, quantity "0" removing one. Gemini numbers none of them and gives
 * no time: the event time is when the message was received.
 */
import type { BookLevel } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { rejected } from '../wire/decoded.js';
import { isDecimalText, show } from '../wire/wireFields.js';
import { symbolFromGemini } from './geminiSymbols.js';

export const decodeGeminiBook = (m: Record<string, unknown>, text: string, where: string, receivedAt: number): SourceItem => {
  const reject = (why: string): SourceItem => rejected(`${where}: l2_updates message: ${why}`, text);
  const symbol = symbolFromGemini(m['symbol']);
  if (symbol === undefined) return reject(`symbol must be like BTCUSD, got ${show(m['symbol'])}`);
  const changes = m['changes'];
  if (!Array.isArray(changes)) return reject(`changes must be a list of [side, price, quantity], got ${show(changes)}`);
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (const c of changes) {
    if (!Array.isArray(c) || (c[0] !== 'buy' && c[0] !== 'sell') || !isDecimalText(c[1]) || !isDecimalText(c[2])) {
      return reject(`each of changes must be ["buy" or "sell", price, quantity] with decimal strings, got ${show(c)}`);
    }
    (c[0] === 'buy' ? bids : asks).push([c[1], c[2]]);
  }
  const data = { exchange: 'gemini', symbol, bids, asks, eventTime: receivedAt };
  return 'trades' in m ? { kind: 'bookSnapshot', data } : { kind: 'bookUpdate', data };
};

/**
 * One line of a recorded Binance websocket session → a canonical trade, nothing, or `rejected`.
 *
 * Line format (hftbacktest's recorder): `<receive time, ns since epoch> <raw message JSON>`,
 * the message being a combined-stream envelope `{"stream":"btcusdt@trade","data":{...}}`.
 * Only `@trade` streams are trades; bookTicker and depth updates — and the REST depth snapshot
 * the recorder writes first — are market data of another kind, so they are skipped (counted,
 * not rejected), as are raw payloads of other event types and subscription acknowledgements.
 * A line that is not `<digits> <JSON object>` is rejected with the reason.
 *
 * Trade payload: e "trade", s symbol, t trade id, p price, q quantity, T trade time (ms),
 * m "buyer is the maker" — then the taker sold.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { isDecimalString } from '../../../domain/decimal.js';
import { splitConcatenatedSymbol } from '../../../domain/symbol.js';

export interface WsLineContext {
  readonly exchange: string;
  /** `file:line`, for the reason of a rejection. */
  readonly where: string;
}

/** What the decoder makes of a line that is valid but not a trade. */
export const SKIPPED = 'skipped' as const;
export type WsLineResult = SourceItem | typeof SKIPPED;

/** `<receive time ns> <JSON>`: how a recording line starts (used to recognise the format). */
export const WS_RECORDING_LINE = /^\d{10,20} [{[]/;

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const isNonNegativeInteger = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0;

const decodeTradePayload = (d: Record<string, unknown>, line: string, ctx: WsLineContext): SourceItem => {
  const reject = (why: string): SourceItem => ({ kind: 'rejected', reason: `${ctx.where}: trade message: ${why}`, raw: line });
  if (d['e'] !== 'trade') return reject(`expected e "trade", got ${JSON.stringify(d['e'])}`);
  const s = d['s'];
  const symbol = typeof s === 'string' ? splitConcatenatedSymbol(s) : undefined;
  if (symbol === undefined) return reject(`s (symbol) must be like BTCUSDT, got ${JSON.stringify(s)}`);
  const t = d['t'];
  if (!isNonNegativeInteger(t)) return reject(`t (trade id) must be a non-negative integer, got ${JSON.stringify(t)}`);
  const p = d['p'];
  if (typeof p !== 'string' || !isDecimalString(p)) return reject(`p (price) must be a decimal string, got ${JSON.stringify(p)}`);
  const q = d['q'];
  if (typeof q !== 'string' || !isDecimalString(q)) return reject(`q (quantity) must be a decimal string, got ${JSON.stringify(q)}`);
  const time = d['T'];
  if (!isNonNegativeInteger(time)) return reject(`T (trade time) must be epoch milliseconds, got ${JSON.stringify(time)}`);
  const m = d['m'];
  if (typeof m !== 'boolean') return reject(`m (buyer is maker) must be true or false, got ${JSON.stringify(m)}`);
  const data: TradeData = {
    exchange: ctx.exchange,
    symbol,
    tradeId: String(t),
    price: p,
    quantity: q,
    side: m ? 'sell' : 'buy',
    eventTime: time,
  };
  return { kind: 'trade', data };
};

export const decodeWsRecordingLine = (line: string, ctx: WsLineContext): WsLineResult => {
  const reject = (why: string): SourceItem => ({ kind: 'rejected', reason: `${ctx.where}: ${why}`, raw: line });
  const space = line.indexOf(' ');
  if (space <= 0 || !/^\d+$/.test(line.slice(0, space))) return reject('expected "<receive time ns> <JSON message>"');
  let message: unknown;
  try {
    message = JSON.parse(line.slice(space + 1));
  } catch (e) {
    return reject(`message is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isRecord(message)) return reject('message is not a JSON object');
  const stream = message['stream'];
  if (typeof stream === 'string') {
    if (!stream.endsWith('@trade')) return SKIPPED;
    const data = message['data'];
    if (!isRecord(data)) return reject(`${stream}: data is not a JSON object`);
    return decodeTradePayload(data, line, ctx);
  }
  // A raw (single-stream) trade payload, without the combined-stream envelope.
  if (message['e'] === 'trade') return decodeTradePayload(message, line, ctx);
  // Other raw payloads (depthUpdate, aggTrade, ...), the REST depth snapshot the recorder writes
  // before the updates, and subscription acknowledgements: valid, but not trades.
  if (typeof message['e'] === 'string' || 'lastUpdateId' in message || ('result' in message && 'id' in message)) return SKIPPED;
  return reject('not a combined-stream message (no "stream" name)');
};

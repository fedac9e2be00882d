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
 * Trade payloads are decoded by the Binance stream decoder (../binance/binancePayload.ts).
 */
import { decodeBinancePayload } from '../binance/binancePayload.js';
import type { SourceItem } from '../../../domain/ports.js';
import { SKIPPED, type Decoded } from '../wire/decoded.js';
import { isRecord } from '../wire/wireFields.js';

export interface WsLineContext {
  readonly exchange: string;
  /** `file:line`, for the reason of a rejection. */
  readonly where: string;
}

export { SKIPPED };
export type WsLineResult = Decoded;

/** `<receive time ns> <JSON>`: how a recording line starts (used to recognise the format). */
export const WS_RECORDING_LINE = /^\d{10,20} [{[]/;

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
    if (data['e'] !== 'trade') return reject(`${stream}: trade message: expected e "trade", got ${JSON.stringify(data['e'])}`);
    return decodeBinancePayload(data, line, ctx);
  }
  // A raw (single-stream) trade payload, without the combined-stream envelope.
  if (message['e'] === 'trade') return decodeBinancePayload(message, line, ctx);
  // Other raw payloads (depthUpdate, aggTrade, ...), the REST depth snapshot the recorder writes
  // before the updates, and subscription acknowledgements: valid, but not trades.
  if (typeof message['e'] === 'string' || 'lastUpdateId' in message || ('result' in message && 'id' in message)) return SKIPPED;
  return reject('not a combined-stream message (no "stream" name)');
};

/**
 * One line of a recorded Binance websocket session → a canonical trade, nothing, or `rejected`.
 *
 * Two recording formats are read, both one message a line behind a receive-time prefix:
 *   - hftbacktest's recorder: `<receive time, ns since epoch> <raw message JSON>`;
 *   - cryptofeed's raw-data recorder: a first line `<ws url> <-> <connect time>`, then
 *     `<unix seconds>: <raw message JSON>`.
 * `splitRecordingLine` takes the prefix off (the `decode` command uses it too, so both read the
 * same formats). The message is a combined-stream envelope `{"stream":"btcusdt@trade","data":{...}}`.
 * Only `@trade` streams are trades; bookTicker and depth updates — and the REST depth snapshot
 * the recorder writes first — are market data of another kind, so they are skipped (counted,
 * not rejected), as are raw payloads of other event types, subscription acknowledgements and
 * cryptofeed's session header. A line in neither format is rejected with the reason.
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

/** hftbacktest: `<receive time ns> <JSON>`. */
const NS_PREFIX = /^\d{10,20} (?=[{[])/;
/** cryptofeed: `<unix seconds>: <JSON>`. */
const SECONDS_PREFIX = /^\d{9,11}(?:\.\d+)?: (?=[{[])/;
/** cryptofeed's first line: `<ws url> <-> <connect time>`. */
const SESSION_HEADER = /^wss?:\/\/\S+ <-> \d+(?:\.\d+)?$/;

/** A recording line without its prefix: the message text, or the session header (nothing to decode). */
export type RecordingLine = { readonly kind: 'message'; readonly json: string } | { readonly kind: 'session-header' };

/** Takes the receive-time prefix off a recording line; undefined when the line is in neither format. */
export const splitRecordingLine = (line: string): RecordingLine | undefined => {
  const prefix = NS_PREFIX.exec(line) ?? SECONDS_PREFIX.exec(line);
  if (prefix !== null) return { kind: 'message', json: line.slice(prefix[0].length) };
  return SESSION_HEADER.test(line) ? { kind: 'session-header' } : undefined;
};

/** Whether a file's first line says it is a recording (used to recognise the format). */
export const isRecordingLine = (line: string): boolean => splitRecordingLine(line) !== undefined;

export const decodeWsRecordingLine = (line: string, ctx: WsLineContext): WsLineResult => {
  const reject = (why: string): SourceItem => ({ kind: 'rejected', reason: `${ctx.where}: ${why}`, raw: line });
  const split = splitRecordingLine(line);
  if (split === undefined) return reject('expected "<receive time ns> <JSON message>" or "<unix seconds>: <JSON message>"');
  if (split.kind === 'session-header') return SKIPPED;
  let message: unknown;
  try {
    message = JSON.parse(split.json);
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

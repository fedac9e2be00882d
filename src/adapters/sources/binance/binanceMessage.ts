/**
 * One text frame from a Binance WebSocket connection → a canonical item, `skipped`, or a rejection.
 *
 * Combined streams (`/stream?streams=a/b`) wrap each payload as `{"stream":"btcusdt@trade","data":{...}}`;
 * raw streams (`/ws/btcusdt@trade`) send the payload alone. Replies to SUBSCRIBE/LIST_SUBSCRIPTIONS
 * requests are `{"result":...,"id":N}`; errors are `{"code":N,"msg":"..."}` (kept as rejections,
 * so a refused subscription is visible in the dead letters). A depth snapshot from REST
 * (`lastUpdateId`) is skipped: recordings interleave it with the stream.
 */
import { SKIPPED, rejected, type Decoded } from '../wire/decoded.js';
import { isRecord, parseJson, show } from '../wire/wireFields.js';
import { decodeBinancePayload, type PayloadContext } from './binancePayload.js';

export const BINANCE_EXCHANGE = 'binance';

export const decodeBinanceMessage = (text: string, ctx: PayloadContext = { exchange: BINANCE_EXCHANGE, where: BINANCE_EXCHANGE }): Decoded => {
  const parsed = parseJson(text);
  if (!parsed.ok) return rejected(`${ctx.where}: ${parsed.reason}`, text);
  const message = parsed.value;
  if (!isRecord(message)) return rejected(`${ctx.where}: message is not a JSON object`, text);
  if ('stream' in message) {
    const data = message['data'];
    if (typeof message['stream'] !== 'string') return rejected(`${ctx.where}: stream must be a stream name, got ${show(message['stream'])}`, text);
    if (!isRecord(data)) return rejected(`${ctx.where}: ${message['stream']}: data is not a JSON object`, text);
    return decodeBinancePayload(data, text, ctx);
  }
  if ('code' in message && 'msg' in message) return rejected(`${ctx.where}: error from Binance: ${show(message['code'])} ${show(message['msg'])}`, text);
  if ('id' in message && 'result' in message) return SKIPPED;
  if ('lastUpdateId' in message) return SKIPPED;
  if (typeof message['e'] === 'string') return decodeBinancePayload(message, text, ctx);
  // bookTicker on a raw stream has no `e` but has `u` and `b`/`a`.
  if ('u' in message && 'b' in message && 'a' in message) return SKIPPED;
  return rejected(`${ctx.where}: not a Binance stream message (no "stream", "e", "result" or "code")`, text);
};

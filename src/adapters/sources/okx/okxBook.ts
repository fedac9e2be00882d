/**
 * OKX's `books` channel (WebSocket v5, "Order book channel") → canonical book events:
 *
 *   { arg: { channel: "books", instId: "BTC-USDT" }, action: "snapshot" | "update",
 *     data: [ { asks: [["8476.98", "415", "0", "13"]], bids: [...], ts: "1597026383085",
 *               checksum: -855196043, prevSeqId: -1, seqId: 123456 } ] }
 *
 * Levels are [price, size, deprecated, orders]; size "0" removes the level. Each update's
 * prevSeqId is the previous message's seqId; `checksum` is the signed CRC32 of the top 25 levels
 * after the message (checked by the book keeper, src/domain/orderbook/bookRules.ts).
 */
import type { BookSnapshotData, BookUpdateData } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { epochMillis, stringLevels } from '../wire/bookLevels.js';
import { rejected } from '../wire/decoded.js';
import { isRecord, isSymbolText, show } from '../wire/wireFields.js';
import { OKX_EXCHANGE } from './okxMessage.js';

const isSeq = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0;
const isChecksum = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= -0x80000000 && u <= 0x7fffffff;

export const decodeOkxBook = (m: Record<string, unknown>, instId: unknown, text: string, where: string): SourceItem => {
  const reject = (why: string): SourceItem => rejected(`${where}: books message: ${why}`, text);
  if (!isSymbolText(instId)) return reject(`arg.instId must be like BTC-USDT, got ${show(instId)}`);
  const action = m['action'];
  if (action !== 'snapshot' && action !== 'update') return reject(`action must be snapshot or update, got ${show(action)}`);
  const data = m['data'];
  if (!Array.isArray(data) || data.length !== 1 || !isRecord(data[0])) return reject(`data must be a list of one book, got ${show(data)}`);
  const d = data[0];
  const bids = stringLevels(d['bids'], 'bids');
  if (typeof bids === 'string') return reject(bids);
  const asks = stringLevels(d['asks'], 'asks');
  if (typeof asks === 'string') return reject(asks);
  const eventTime = epochMillis(d['ts']);
  if (eventTime === undefined) return reject(`ts must be epoch milliseconds as text, got ${show(d['ts'])}`);
  const seqId = d['seqId'];
  if (!isSeq(seqId)) return reject(`seqId must be a non-negative integer, got ${show(seqId)}`);
  const checksum = d['checksum'];
  if (!isChecksum(checksum)) return reject(`checksum must be a signed 32-bit integer, got ${show(checksum)}`);
  if (action === 'snapshot') {
    const snapshot: BookSnapshotData = { exchange: OKX_EXCHANGE, symbol: instId, bids, asks, eventTime, sequence: seqId, checksum };
    return { kind: 'bookSnapshot', data: snapshot };
  }
  const prevSeqId = d['prevSeqId'];
  if (!isSeq(prevSeqId)) return reject(`prevSeqId must be a non-negative integer in an update, got ${show(prevSeqId)}`);
  const update: BookUpdateData = { exchange: OKX_EXCHANGE, symbol: instId, bids, asks, eventTime, sequence: seqId, prevSequence: prevSeqId, checksum };
  return { kind: 'bookUpdate', data: update };
};

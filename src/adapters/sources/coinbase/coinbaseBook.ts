/**
 * Coinbase Advanced Trade's `level2` channel (market data endpoint, "Level 2 order book") →
 * canonical book events. Subscribed with `{ type: "subscribe", product_ids, channel: "level2" }`,
 * it sends:
 *
 *   { channel: "l2_data", client_id, timestamp: "2023-02-09T20:32:50.714964855Z", sequence_num: 0,
 *     events: [ { type: "snapshot" | "update", product_id: "BTC-USD",
 *                 updates: [ { side: "bid" | "offer", event_time, price_level: "21921.73",
 *                              new_quantity: "0.06317902" } ] } ] }
 *
 * `new_quantity` is the level's new size, "0" removes it. Each event is one book item carrying
 * the message's `sequence_num` (the book keeper drops one at or below the book's). An update's
 * event time is its latest `event_time`; a snapshot's is the message's `timestamp` (its levels'
 * event times are not when the book was taken).
 *
 * `sequence_num` counts every message of the connection (Advanced Trade "Sequence numbers"): one
 * greater than the next expected means a message was dropped, and which book it belonged to is
 * unknown. `createCoinbaseBookDecoder` keeps that count for one connection and, on a jump, reports
 * every book seen on the connection as lost (a `bookResync` item of reason `gap`), so each is
 * rebuilt from a fresh snapshot. A lower number is an out-of-order message, left to the keeper.
 */
import type { BookLevel, BookResyncData, BookSnapshotData, BookUpdateData } from '../../../domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../domain/ports.js';
import { SKIPPED, decodedItems, oneOrMany, rejected, type WireDecoded } from '../wire/decoded.js';
import { parseIsoMillis } from '../wire/isoMillis.js';
import { decodeCoinbaseExchangeMessage } from './coinbaseMessage.js';
import { isDecimalText, isNonNegativeInteger, isRecord, isSymbolText, parseJson, show } from '../wire/wireFields.js';

const EXCHANGE = 'coinbase';

/** The levels of an event's updates into bids and asks, and the latest event time; or why not. */
const readUpdates = (list: unknown, bids: BookLevel[], asks: BookLevel[]): number | string => {
  if (!Array.isArray(list)) return `updates must be a list, got ${show(list)}`;
  let latest = -1;
  for (const u of list) {
    if (!isRecord(u)) return `each update must be an object, got ${show(u)}`;
    const side = u['side'];
    if (side !== 'bid' && side !== 'offer') return `side must be bid or offer, got ${show(side)}`;
    if (!isDecimalText(u['price_level'])) return `price_level must be a decimal string, got ${show(u['price_level'])}`;
    if (!isDecimalText(u['new_quantity'])) return `new_quantity must be a decimal string, got ${show(u['new_quantity'])}`;
    (side === 'bid' ? bids : asks).push([u['price_level'], u['new_quantity']]);
    const t = parseIsoMillis(u['event_time']);
    if (t !== undefined && t > latest) latest = t;
  }
  return latest;
};

/** One `l2_data` message (parsed) → its book items, one per event, or a rejection naming the field. */
export const decodeCoinbaseLevel2 = (m: Record<string, unknown>, text: string, where: string): WireDecoded => {
  const reject = (why: string): SourceItem => rejected(`${where}: l2_data message: ${why}`, text);
  const sequence = m['sequence_num'];
  if (!isNonNegativeInteger(sequence)) return reject(`sequence_num must be a non-negative integer, got ${show(sequence)}`);
  const sent = parseIsoMillis(m['timestamp']);
  if (sent === undefined) return reject(`timestamp must be an ISO-8601 timestamp, got ${show(m['timestamp'])}`);
  const events = m['events'];
  if (!Array.isArray(events)) return reject(`events must be a list, got ${show(events)}`);
  const items: SourceItem[] = [];
  for (const e of events) {
    if (!isRecord(e)) return reject(`each event must be an object, got ${show(e)}`);
    const type = e['type'];
    if (type !== 'snapshot' && type !== 'update') return reject(`event type must be snapshot or update, got ${show(type)}`);
    const product = e['product_id'];
    if (!isSymbolText(product)) return reject(`product_id must be like BTC-USD, got ${show(product)}`);
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    const latest = readUpdates(e['updates'], bids, asks);
    if (typeof latest === 'string') return reject(latest);
    if (type === 'snapshot') {
      const data: BookSnapshotData = { exchange: EXCHANGE, symbol: product, bids, asks, eventTime: sent, sequence };
      items.push({ kind: 'bookSnapshot', data });
    } else {
      const data: BookUpdateData = { exchange: EXCHANGE, symbol: product, bids, asks, eventTime: latest >= 0 ? latest : sent, sequence };
      items.push({ kind: 'bookUpdate', data });
    }
  }
  return oneOrMany(items);
};

/** Advanced Trade's messages on a book connection: l2_data decoded, subscriptions and heartbeats skipped, errors rejected. */
const decodeAdvancedTrade = (m: Record<string, unknown>, text: string, where: string): WireDecoded => {
  if (m['type'] === 'error') return rejected(`${where}: error from Coinbase: ${show(m['message'])}`, text);
  if (typeof m['channel'] !== 'string') return rejected(`${where}: message has no "channel"`, text);
  return m['channel'] === 'l2_data' ? decodeCoinbaseLevel2(m, text, where) : SKIPPED;
};

const parsedRecord = (text: string, where: string): { readonly m: Record<string, unknown> } | { readonly bad: SourceItem } => {
  const parsed = parseJson(text);
  if (!parsed.ok) return { bad: rejected(`${where}: ${parsed.reason}`, text) };
  return isRecord(parsed.value) ? { m: parsed.value } : { bad: rejected(`${where}: message is not a JSON object`, text) };
};

/**
 * The decoder of one Advanced Trade book connection: each message decoded, and the connection's
 * `sequence_num` followed so a dropped message loses every book it could have belonged to. A
 * sequence_num of 0 starts a new connection's count (the connector reconnected). `now`: the time
 * of a loss reported by a message with no readable timestamp.
 */
export const createCoinbaseBookDecoder = (where = `${EXCHANGE} level2`, now: () => number = Date.now): ((text: string) => WireDecoded) => {
  let last: number | undefined;
  const products = new Set<string>();
  return (text) => {
    const r = parsedRecord(text, where);
    if ('bad' in r) return r.bad;
    const m = r.m;
    const decoded = decodeAdvancedTrade(m, text, where);
    const seq = m['sequence_num'];
    const lost: SourceItem[] = [];
    if (isNonNegativeInteger(seq)) {
      if (seq === 0) last = undefined;
      if (last !== undefined && seq > last + 1) {
        const eventTime = parseIsoMillis(m['timestamp']) ?? now();
        for (const symbol of products) {
          const data: BookResyncData = { exchange: EXCHANGE, symbol, reason: 'gap', expected: `sequence_num ${last + 1}`, got: `sequence_num ${seq}`, eventTime };
          lost.push({ kind: 'bookResync', data });
        }
      }
      if (last === undefined || seq > last) last = seq;
    }
    const items = decodedItems(decoded);
    for (const i of items) if (i.kind === 'bookSnapshot') products.add((i.data as BookSnapshotData).symbol);
    return lost.length === 0 ? decoded : [...lost, ...items];
  };
};

/**
 * A message of either Coinbase feed on its own (`decode --exchange coinbase`, the bench): an
 * Advanced Trade message (it has a `channel`) or an Exchange feed message (it has a `type`).
 */
export const decodeCoinbaseAnyFeed = (text: string, where = EXCHANGE): WireDecoded => {
  const r = parsedRecord(text, where);
  if ('bad' in r) return r.bad;
  const m = r.m;
  return typeof m['channel'] === 'string' ? decodeAdvancedTrade(m, text, where) : decodeCoinbaseExchangeMessage(m, text, where);
};

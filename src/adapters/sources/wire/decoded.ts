/**
 * What a wire decoder makes of one exchange message: canonical items (trades, candles, or a
 * rejection with its reason) — several when the exchange batches trades in one message (Kraken,
 * OKX, Bybit, a Bitfinex snapshot) — or `skipped` for a valid message that carries no market fact
 * (subscription acknowledgements, heartbeats, order-book updates, klines still open), or
 * `reconnect` for a valid message in which the exchange asks the client to connect again because
 * it is about to close this connection (Bitstamp's `bts:request_reconnect`, Bitfinex's info 20051).
 */
import type { SourceItem } from '../../../domain/ports.js';

export const SKIPPED = 'skipped' as const;
/** One message, one fact (Binance, Coinbase, a replayed line). */
export type Decoded = SourceItem | typeof SKIPPED;
export const RECONNECT = 'reconnect' as const;
/** One message, any number of facts, or a request to reconnect: what a live connector's decoder returns. */
export type WireDecoded = Decoded | typeof RECONNECT | readonly SourceItem[];

export const rejected = (reason: string, raw: unknown): SourceItem => ({ kind: 'rejected', reason, raw });

/** The items of a decoded message, none for a skip or a reconnect request. */
export const decodedItems = (d: WireDecoded): readonly SourceItem[] => (d === SKIPPED || d === RECONNECT ? [] : Array.isArray(d) ? d : [d as SourceItem]);

/** A batch of decoded trades: one item stays one item, none is a skip. */
export const oneOrMany = (items: readonly SourceItem[]): WireDecoded => (items.length === 0 ? SKIPPED : items.length === 1 ? items[0]! : items);

/**
 * Each element of a message's trade list decoded by `decode` (a loop, not `map` with a fresh
 * closure per message: this runs for every frame).
 */
export const decodeEach = (list: readonly unknown[], decode: (t: unknown, raw: unknown, where: string) => SourceItem, raw: unknown, where: string): WireDecoded => {
  if (list.length === 1) return decode(list[0], raw, where);
  const items: SourceItem[] = [];
  for (const t of list) items.push(decode(t, raw, where));
  return oneOrMany(items);
};

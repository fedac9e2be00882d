/**
 * The checksums exchanges put on their books, each as its documentation defines it, computed over
 * the local book so the keeper can compare. What each level's text adds to the CRC is computed
 * once and kept on the level (bookSide.ts) until the level changes; the checksum joins those
 * pieces in order (crc32.ts), so an unchanged level costs a few table lookups, not its text.
 *
 * Kraken (Spot WebSocket v2 "Book checksum" guide): the top 10 asks, low to high, then the top 10
 *   bids, high to low; each level is price then qty with the '.' removed and leading zeros
 *   stripped ("45285.2", "0.00100000" → "452852100000"); CRC32 as an unsigned 32-bit integer.
 * OKX (WebSocket "Order book" checksum): the top 25 bids and asks interleaved, "bidPrice:bidSize:
 *   askPrice:askSize:..." with the strings as sent; when one side runs out the other goes on
 *   alone; CRC32 as a signed 32-bit integer.
 * Bitfinex ("WebSocket Checksum"): the top 25 interleaved the same way, "price:amount" with the
 *   ask amounts negative; signed 32-bit.
 */
import type { BookSide, Level } from './bookSide.js';
import { CRC32_START, crc32Append, crc32Final, crc32Piece, crc32Update, toSigned32 } from './crc32.js';
import type { OrderBook } from './orderBook.js';

/** A decimal as Kraken's checksum writes it: no '.', no leading zeros ("0.00100000" → "100000"). */
export const krakenDigits = (s: string): string => {
  let out = '';
  let leading = true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '.') continue;
    if (leading && c === '0') continue;
    leading = false;
    out += c;
  }
  return out;
};

/** The running state after level `l`, written by `text` (its piece computed on first use). */
const appendLevel = (state: number, l: Level, text: (l: Level) => string): number => {
  if (l.crcLength < 0) {
    const t = text(l);
    l.crcPiece = crc32Piece(t);
    l.crcLength = t.length;
  }
  return crc32Append(state, l.crcPiece, l.crcLength);
};

const krakenText = (l: Level): string => krakenDigits(l.price) + krakenDigits(l.qty);

const krakenSide = (state: number, side: BookSide): number => {
  let c = state;
  for (let i = 0; i < 10; i++) {
    const l = side.at(i);
    if (l === undefined) break;
    c = appendLevel(c, l, krakenText);
  }
  return c;
};

export const krakenChecksum = (book: OrderBook): number => crc32Final(krakenSide(krakenSide(CRC32_START, book.asks), book.bids));

/** An interleaved checksum over the top `levels` of each side (OKX, Bitfinex), signed. */
const interleaved = (book: OrderBook, levels: number, bidText: (l: Level) => string, askText: (l: Level) => string): number => {
  let c = CRC32_START;
  let first = true;
  for (let i = 0; i < levels; i++) {
    const b = book.bids.at(i);
    const a = book.asks.at(i);
    if (b === undefined && a === undefined) break;
    if (b !== undefined) {
      if (!first) c = crc32Update(c, ':');
      c = appendLevel(c, b, bidText);
      first = false;
    }
    if (a !== undefined) {
      if (!first) c = crc32Update(c, ':');
      c = appendLevel(c, a, askText);
      first = false;
    }
  }
  return toSigned32(crc32Final(c));
};

const colonText = (l: Level): string => `${l.price}:${l.qty}`;
const negativeAskText = (l: Level): string => `${l.price}:-${l.qty}`;

export const okxChecksum = (book: OrderBook): number => interleaved(book, 25, colonText, colonText);

export const bitfinexChecksum = (book: OrderBook): number => interleaved(book, 25, colonText, negativeAskText);

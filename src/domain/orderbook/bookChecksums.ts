/**
 * The checksums exchanges put on their books, each as its documentation defines it, computed over
 * the local book so the keeper can compare. They are taken after every message that carries one,
 * so each is made cheap without leaving anything out:
 *   - what each level's text adds to the CRC is computed once and kept beside the level (bookSide.ts)
 *     until the level changes, and joined on by its length (crc32.ts);
 *   - the running register after each top level is kept on the side, and a side notes the first
 *     level changed since the last checksum: the chain is taken up there, so the levels above a
 *     change are not joined again (a CRC register is the whole state of the computation, so the
 *     chain after a kept register is the chain from the top).
 *
 * Kraken (Spot WebSocket v2 "Book checksum" guide): the top 10 asks, low to high, then the top 10
 *   bids, high to low; each level is price then qty with the '.' removed and leading zeros
 *   stripped ("45285.2", "0.00100000" → "452852100000"); CRC32 as an unsigned 32-bit integer.
 * OKX (WebSocket "Order book" checksum): the top 25 bids and asks interleaved, "bidPrice:bidSize:
 *   askPrice:askSize:..." with the strings as sent; when one side runs out the other goes on
 *   alone; CRC32 as a signed 32-bit integer.
 * Bitfinex ("WebSocket Checksum"): the top 25 interleaved the same way, "price:amount" with the
 *   ask amounts negative, the numbers as sent (bitfinexNumberText: "1e-8"); signed 32-bit.
 */
import { UNCHANGED, type BookSide } from './bookSide.js';
import { CRC32_START, crc32Append, crc32Char, crc32Final, crc32Range, crc32Update, toSigned32 } from './crc32.js';
import type { OrderBook } from './orderBook.js';

/** A decimal as Kraken's checksum writes it: no '.', no leading zeros ("0.00100000" → "100000"). */
export const krakenDigits = (s: string): string => {
  let out = '';
  const from = krakenStart(s);
  for (let i = from; i < s.length; i++) if (s.charCodeAt(i) !== POINT) out += s[i];
  return out;
};

const POINT = 46;
const ZERO = 48;
const COLON = 58;
const MINUS = 45;

/** Where Kraken's digits of `s` start: past the leading zeros and points. */
const krakenStart = (s: string): number => {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === ZERO || s.charCodeAt(i) === POINT)) i++;
  return i;
};

/**
 * Writes the CRC piece (its text's register from zero) and the text's length of the level in a
 * side's slot, straight from its strings: no text is built.
 */
type PieceWriter = (side: BookSide, slot: number) => void;

/** `s` from `from` with its point left out (Kraken's digits), onto register `c`: the runs either side of the point. */
const digitsOnto = (c: number, s: string, from: number): number => {
  const point = s.indexOf('.', from);
  return point < 0 ? crc32Range(c, s, from, s.length) : crc32Range(crc32Range(c, s, from, point), s, point + 1, s.length);
};

/** How many of Kraken's digits `s` has from `from` (a decimal has at most one point). */
const digitCount = (s: string, from: number): number => s.length - from - (s.indexOf('.', from) < 0 ? 0 : 1);

const krakenPiece: PieceWriter = (side, slot) => {
  const price = side.prices[slot]!;
  const qty = side.qtys[slot]!;
  const p = krakenStart(price);
  const q = krakenStart(qty);
  side.crcPieces[slot] = digitsOnto(digitsOnto(0, price, p), qty, q);
  side.crcLengths[slot] = digitCount(price, p) + digitCount(qty, q);
};

/**
 * ":price:qty", or ":price:-qty" for `negative`, each written by `text`: the ':' that joins a
 * level to the one before is part of its piece (the very first level takes it back out).
 */
const colonPiece = (negative: boolean, text: (decimal: string) => string): PieceWriter => (side, slot) => {
  const price = text(side.prices[slot]!);
  const qty = text(side.qtys[slot]!);
  let c = crc32Char(crc32Update(COLON_PIECE, price), COLON);
  if (negative) c = crc32Char(c, MINUS);
  side.crcPieces[slot] = crc32Update(c, qty);
  side.crcLengths[slot] = 1 + price.length + 1 + (negative ? 1 : 0) + qty.length;
};

/** The register of ":" from zero. */
const COLON_PIECE = crc32Char(0, COLON);

/**
 * The running state after a level's piece `piece` (of a text of `length` chars) without its
 * leading ':' (the first level of a chain): from s, ":"+T gives Z(s, |T|+1) ^ P, and T alone
 * Z(s, |T|) ^ piece(T), which is Z(s ^ piece(":"), |T|) ^ P, the CRC register being linear.
 */
const appendWithoutColon = (state: number, piece: number, length: number): number => crc32Append(state ^ COLON_PIECE, piece, length - 1);

/** OKX's strings are sent as strings: the checksum takes them as they are. */
const asSent = (decimal: string): string => decimal;

/**
 * A Bitfinex number as it was sent, from its exact decimal: Bitfinex sends JSON numbers as
 * JavaScript writes them, and its checksum guide joins the parsed numbers the same way, so below
 * 1e-6 (or from 1e21) it is in exponent form, "1e-8", where the decoder's decimal is "0.00000001".
 * Any other decimal is the literal itself (decimalOfLiteral keeps a plain literal as written).
 */
export const bitfinexNumberText = (decimal: string): string => {
  const point = decimal.indexOf('.');
  const small = decimal.startsWith('0.000000');
  const large = (point < 0 ? decimal.length : point) > 21;
  return small || large ? String(Number(decimal)) : decimal;
};

/** The side's kept registers, `n` of them (new ones, when too few are kept, are all to compute). */
const statesOf = (side: BookSide, n: number): Int32Array => {
  if (side.crcStates.length < n) {
    side.crcStates = new Int32Array(n);
    side.changedFrom = 0;
  }
  return side.crcStates;
};

const KRAKEN_LEVELS = 10;

/**
 * Kraken's text of one side's top 10 levels, as its register from zero: the two sides are taken
 * apart and joined by length (crc32.ts), so a change in the asks does not make the bids' chain be
 * taken again. The side keeps, per level, the register and the text's length so far. Returns how
 * many levels the side's text has.
 */
const krakenSide = (side: BookSide): number => {
  const n = Math.min(KRAKEN_LEVELS, side.size);
  const kept = statesOf(side, 2 * KRAKEN_LEVELS);
  const from = Math.min(side.changedFrom, n);
  let c = from === 0 ? 0 : kept[2 * from - 2]!;
  let length = from === 0 ? 0 : kept[2 * from - 1]!;
  const pieces = side.crcPieces;
  const lengths = side.crcLengths;
  for (let i = from, slot = side.bestSlot - from; i < n; i++, slot--) {
    if (lengths[slot]! < 0) krakenPiece(side, slot);
    const l = lengths[slot]!;
    c = crc32Append(c, pieces[slot]!, l);
    length += l;
    kept[2 * i] = c;
    kept[2 * i + 1] = length;
  }
  side.changedFrom = UNCHANGED;
  return n;
};

/** The running state after the side's text of `n` levels (krakenSide). */
const joinSide = (state: number, side: BookSide, n: number): number => (n === 0 ? state : crc32Append(state, side.crcStates[2 * n - 2]!, side.crcStates[2 * n - 1]!));

export const krakenChecksum = (book: OrderBook): number => {
  const { asks, bids } = book;
  return crc32Final(joinSide(joinSide(CRC32_START, asks, krakenSide(asks)), bids, krakenSide(bids)));
};

const INTERLEAVED_LEVELS = 25;

/**
 * The interleaved checksum over the top 25 of each side (OKX, Bitfinex), signed. The register
 * after each pair (bid i, ask i) is kept on the bids side; the chain is taken up at the first pair
 * either side changed. Every level's piece starts with the ':' that joins it to the one before,
 * except the very first's.
 */
const interleaved = (book: OrderBook, bidPiece: PieceWriter, askPiece: PieceWriter): number => {
  const { bids, asks } = book;
  const pairs = Math.min(INTERLEAVED_LEVELS, Math.max(bids.size, asks.size));
  const states = statesOf(bids, INTERLEAVED_LEVELS);
  const from = Math.min(bids.changedFrom, asks.changedFrom, pairs);
  let c = from === 0 ? CRC32_START : states[from - 1]!;
  // Straight on the sides' slots: the i-th best is in slot bestSlot - i, while i < size.
  const bp = bids.crcPieces;
  const bl = bids.crcLengths;
  const ap = asks.crcPieces;
  const al = asks.crcLengths;
  const bn = bids.size;
  const an = asks.size;
  for (let i = from, bs = bids.bestSlot - from, as = asks.bestSlot - from; i < pairs; i++, bs--, as--) {
    if (i < bn) {
      if (bl[bs]! < 0) bidPiece(bids, bs);
      c = i === 0 ? appendWithoutColon(c, bp[bs]!, bl[bs]!) : crc32Append(c, bp[bs]!, bl[bs]!);
    }
    if (i < an) {
      if (al[as]! < 0) askPiece(asks, as);
      c = i === 0 && bn === 0 ? appendWithoutColon(c, ap[as]!, al[as]!) : crc32Append(c, ap[as]!, al[as]!);
    }
    states[i] = c;
  }
  bids.changedFrom = UNCHANGED;
  asks.changedFrom = UNCHANGED;
  return toSigned32(crc32Final(c));
};

const okxLevel = colonPiece(false, asSent);
const bitfinexBid = colonPiece(false, bitfinexNumberText);
const bitfinexAsk = colonPiece(true, bitfinexNumberText);

export const okxChecksum = (book: OrderBook): number => interleaved(book, okxLevel, okxLevel);

export const bitfinexChecksum = (book: OrderBook): number => interleaved(book, bitfinexBid, bitfinexAsk);

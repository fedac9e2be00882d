/**
 * CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), the
 * checksum Kraken, OKX and Bitfinex put on their books. Here rather than Node's zlib.crc32 because
 * the book rules are domain (pure, no Node import) and because the checksum is taken over a book's
 * levels one piece at a time (`crc32Update` per level text), with no string built for it.
 * Text is hashed as its char codes: checksummed text is ASCII (digits, '.', ':', '-').
 *
 * A book's checksum runs over dozens of level texts after every message, most of them unchanged,
 * so each text's contribution is computed once (`crc32Piece`) and joined on (`crc32Append`):
 * the CRC register is linear over GF(2), so the register after a text from state s is the
 * register after as many zero bytes from s, XOR the text's register from zero; the zero-byte
 * step for each length is four 256-entry tables (zeroStep).
 */
const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The running state before any byte. */
export const CRC32_START = -1;


/** The final checksum of a running state, as an unsigned 32-bit integer. */
export const crc32Final = (state: number): number => (state ^ -1) >>> 0;

/** CRC-32 of an ASCII text, unsigned. */
export const crc32 = (text: string): number => crc32Final(crc32Update(CRC32_START, text));

/** An unsigned 32-bit value read as signed (OKX and Bitfinex send their checksums signed). */
export const toSigned32 = (u: number): number => u | 0;

/** The register after `text` from a zero register: what the text adds wherever it comes. */
export const crc32Piece = (text: string): number => crc32Update(0, text);

/**
 * The zero-byte steps, one flat table: for each length L up to ZERO_STEPS, four 256-entry tables
 * at L * 1024 (one typed array, so a join is four loads from one base, no per-length lookup), each
 * length's built from the one before (one more zero byte per entry); 256 KiB, built at load. A
 * longer text is appended in steps of ZERO_STEPS zero bytes.
 */
const ZERO_STEPS = 64;
const ZEROS = (() => {
  const z = new Int32Array((ZERO_STEPS + 1) * 1024);
  for (let k = 0; k < 4; k++) for (let v = 0; v < 256; v++) z[k * 256 + v] = v << (8 * k);
  for (let e = 1024; e < z.length; e++) {
    const c = z[e - 1024]!;
    z[e] = TABLE[c & 0xff]! ^ (c >>> 8);
  }
  return z;
})();

/** The register after `length` (≤ ZERO_STEPS) zero bytes from `state`. */
const zeroStep = (state: number, length: number): number => {
  const b = length << 10;
  return ZEROS[b + (state & 0xff)]! ^ ZEROS[b + 256 + ((state >>> 8) & 0xff)]! ^ ZEROS[b + 512 + ((state >>> 16) & 0xff)]! ^ ZEROS[b + 768 + (state >>> 24)]!;
};

/**
 * The running state after `text`'s chars from `from` to `to` (each an ASCII byte), four at a
 * time: four bytes fed into the register are the register XOR the four bytes, followed by four
 * zero bytes, one zero step (the tables above), so the chain of dependent table loads is a quarter
 * as long as byte by byte.
 */
export const crc32Range = (state: number, text: string, from: number, to: number): number => {
  let c = state;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    c = zeroStep(c ^ (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 8) | (text.charCodeAt(i + 2) << 16) | (text.charCodeAt(i + 3) << 24)), 4);
  }
  for (; i < to; i++) c = TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return c;
};

/** The running state after `text`'s chars (each an ASCII byte). */
export const crc32Update = (state: number, text: string): number => crc32Range(state, text, 0, text.length);

/** The running state after a text of `length` chars whose piece (crc32Piece) is `piece`. */
export const crc32Append = (state: number, piece: number, length: number): number => {
  let c = state;
  let n = length;
  while (n > ZERO_STEPS) {
    c = zeroStep(c, ZERO_STEPS);
    n -= ZERO_STEPS;
  }
  return zeroStep(c, n) ^ piece;
};

/** The running state after one ASCII char (a separator). */
export const crc32Char = (state: number, code: number): number => TABLE[(state ^ code) & 0xff]! ^ (state >>> 8);

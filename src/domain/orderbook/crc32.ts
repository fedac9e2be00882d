/**
 * CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), the
 * checksum Kraken, OKX and Bitfinex put on their books. Here rather than Node's zlib.crc32 because
 * the book rules are domain (pure, no Node import) and because the checksum is taken over a book's
 * levels one piece at a time (`crc32Update` per level text), with no string built for it.
 * Text is hashed as its char codes: checksummed text is ASCII (digits, '.', ':', '-').
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

/** The running state after `text`'s chars (each an ASCII byte). */
export const crc32Update = (state: number, text: string): number => {
  let c = state;
  for (let i = 0; i < text.length; i++) c = TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return c;
};

/** The final checksum of a running state, as an unsigned 32-bit integer. */
export const crc32Final = (state: number): number => (state ^ -1) >>> 0;

/** CRC-32 of an ASCII text, unsigned. */
export const crc32 = (text: string): number => crc32Final(crc32Update(CRC32_START, text));

/** An unsigned 32-bit value read as signed (OKX and Bitfinex send their checksums signed). */
export const toSigned32 = (u: number): number => u | 0;

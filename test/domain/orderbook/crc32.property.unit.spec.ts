import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krakenDigits } from '../../../src/domain/orderbook/bookChecksums.js';
import { CRC32_START, crc32, crc32Append, crc32Final, crc32Piece, crc32Range, crc32Update, toSigned32 } from '../../../src/domain/orderbook/crc32.js';

describe('CRC-32', () => {
  it('gives the standard check value: CRC-32/ISO-HDLC of "123456789" is 0xCBF43926', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it("agrees with Node's zlib.crc32 on any ASCII text, fed whole or in pieces", () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), { maxLength: 8 }), (pieces) => {
      const whole = pieces.join('');
      let state = CRC32_START;
      for (const p of pieces) state = crc32Update(state, p);
      expect(crc32Final(state)).toBe(zlibCrc32(whole));
      expect(crc32(whole)).toBe(zlibCrc32(whole));
    }));
  });

  it("a range of a text, taken four chars at a time, agrees with zlib.crc32 on that range alone", () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
    fc.assert(fc.property(ascii, fc.nat(), fc.nat(), (text, a, b) => {
      const from = a % (text.length + 1);
      const to = from + (b % (text.length - from + 1));
      expect(crc32Final(crc32Range(CRC32_START, text, from, to))).toBe(zlibCrc32(text.slice(from, to)));
    }));
  });

  it('joining pieces (each text\'s register from zero, appended by its length) gives the CRC of the whole text', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: fc.constantFrom(...'0123456789.:-'), maxLength: 60 }), { maxLength: 30 }), (pieces) => {
      let state = CRC32_START;
      for (const p of pieces) state = crc32Append(state, crc32Piece(p), p.length);
      expect(crc32Final(state)).toBe(zlibCrc32(pieces.join('')));
    }));
  });

  it('a join of pieces is the piece of the joined text: pieces grouped in any way give the CRC of the whole, texts past the 64-char zero steps included', () => {
    // Kraken joins each side's text as one piece onto the other's. size 'max': texts and groups
    // long enough to take the zero steps more than once (the join test above stays under 64).
    const piece = fc.string({ unit: fc.constantFrom(...'0123456789.:-'), maxLength: 150, size: 'max' });
    fc.assert(fc.property(fc.array(fc.tuple(piece, fc.boolean()), { maxLength: 30 }), (parts) => {
      let state = CRC32_START;
      let group = 0;
      let groupLength = 0;
      for (const [text, endsGroup] of parts) {
        group = crc32Append(group, crc32Piece(text), text.length);
        groupLength += text.length;
        if (endsGroup) {
          state = crc32Append(state, group, groupLength);
          group = 0;
          groupLength = 0;
        }
      }
      state = crc32Append(state, group, groupLength);
      expect(crc32Final(state)).toBe(zlibCrc32(parts.map(([text]) => text).join('')));
    }));
  });

  it('reads an unsigned value as signed 32-bit, as OKX and Bitfinex send it', () => {
    expect(toSigned32(0xffffffff)).toBe(-1);
    expect(toSigned32(0x7fffffff)).toBe(0x7fffffff);
    expect(toSigned32(0xcbf43926)).toBe(0xcbf43926 - 2 ** 32);
  });
});

describe("Kraken's checksum formatting (Spot WebSocket v2 book checksum guide)", () => {
  it('drops the point and the leading zeros: "45285.2" → "452852", "0.00100000" → "100000"', () => {
    expect(krakenDigits('45285.2')).toBe('452852');
    expect(krakenDigits('0.00100000')).toBe('100000');
    expect(krakenDigits('45285.2') + krakenDigits('0.00100000')).toBe('452852100000');
  });

  it('v1 guide: "0.05000" → "5000", and "0.05000" with volume "0.00000304" → "5000304"', () => {
    expect(krakenDigits('0.05000')).toBe('5000');
    expect(krakenDigits('0.05000') + krakenDigits('0.00000304')).toBe('5000304');
  });
});

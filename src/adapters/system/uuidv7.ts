/**
 * UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then random bits. Within one millisecond a
 * 42-bit counter (seeded randomly each new millisecond) keeps ids strictly increasing, so ids
 * sort in generation order, which the ledger and logs rely on.
 *
 * One id is made per ingested event, so this avoids BigInt and per-id buffers: the counter fits
 * in a double (42 < 53 bits) and random bits are read straight from a pooled buffer.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from '../../domain/ports.js';
import { systemClock } from './systemClock.js';

const COUNTER_MAX = 2 ** 42 - 1;
const POOL_BYTES = 4096;

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
/** Two hex digits of each byte value: an id's last 20 digits are five table reads. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => hex(b, 2));
const hex4 = (n: number): string => BYTE_HEX[n >>> 8]! + BYTE_HEX[n & 0xff]!;

export const createUuidV7Generator = (clock: Clock = systemClock): IdGenerator => {
  // Random bytes drawn from the OS in blocks: one system call per few hundred ids.
  let pool = randomBytes(POOL_BYTES);
  let offset = 0;
  const take = (n: number): number => {
    if (offset + n > POOL_BYTES) {
      pool = randomBytes(POOL_BYTES);
      offset = 0;
    }
    const at = offset;
    offset += n;
    return at;
  };
  let lastMs = -1;
  let counter = 0;
  // The millisecond's 13 digits and 2 dashes, written once per millisecond, not once per id.
  let prefixMs = -1;
  let prefix = '';
  return {
    next() {
      let ms = clock.now();
      if (ms <= lastMs) {
        ms = lastMs;
        counter++;
        if (counter > COUNTER_MAX) {
          ms = lastMs + 1;
          counter = 0;
        }
      } else {
        // Random start with the top bit clear, so the counter has room to grow within the millisecond.
        counter = pool.readUIntBE(take(6), 6) % 2 ** 41;
      }
      lastMs = ms;
      const rand = pool.readUInt32BE(take(4));
      const high = Math.floor(counter / 2 ** 16); // the counter's top 26 bits
      if (ms !== prefixMs) {
        const t = hex(ms, 12);
        prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-`;
        prefixMs = ms;
      }
      return (
        prefix +
        // version 7 + the counter's top 12 bits; variant 10 + its next 14 bits; then its low 16 bits
        hex4(0x7000 | (high >>> 14)) + '-' + hex4(0x8000 | (high & 0x3fff)) + '-' +
        hex4(counter % 2 ** 16) + hex4(rand >>> 16) + hex4(rand & 0xffff)
      );
    },
  };
};

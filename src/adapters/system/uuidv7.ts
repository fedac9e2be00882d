/**
 * UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then random bits. Within one millisecond a
 * 42-bit counter (seeded randomly each new millisecond) keeps ids strictly increasing, so ids
 * sort in generation order, which the ledger and logs rely on.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from '../../domain/ports.js';
import { systemClock } from './systemClock.js';

const COUNTER_BITS = 42n;
const COUNTER_MAX = (1n << COUNTER_BITS) - 1n;

/** Random bytes drawn from the OS in blocks: one system call per 512 ids, not two per id. */
const createRandomPool = () => {
  let pool = randomBytes(0);
  let offset = 0;
  return (n: number): Buffer => {
    if (offset + n > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    offset += n;
    return pool.subarray(offset - n, offset);
  };
};

export const createUuidV7Generator = (clock: Clock = systemClock): IdGenerator => {
  const random = createRandomPool();
  let lastMs = -1;
  let counter = 0n;
  return {
    next() {
      let ms = clock.now();
      if (ms <= lastMs) {
        ms = lastMs;
        counter++;
        if (counter > COUNTER_MAX) {
          ms = lastMs + 1;
          counter = 0n;
        }
      } else {
        // Random start, top bit clear, so the counter has room to grow within the millisecond.
        counter = BigInt('0x' + random(6).toString('hex')) & (COUNTER_MAX >> 1n);
      }
      lastMs = ms;
      const rand = random(4).readUInt32BE(0);
      const hex =
        ms.toString(16).padStart(12, '0') +
        // version 7 + top 12 bits of the counter
        (0x7000 | Number((counter >> 30n) & 0xfffn)).toString(16).padStart(4, '0') +
        // variant 10 + next 14 bits of the counter
        (0x8000 | Number((counter >> 16n) & 0x3fffn)).toString(16).padStart(4, '0') +
        Number(counter & 0xffffn).toString(16).padStart(4, '0') +
        rand.toString(16).padStart(8, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    },
  };
};

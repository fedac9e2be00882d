/**
 * Book rows that keep the book detectors busy: two spoofed books of BTC-USDT (okx, bybit, two
 * injected episodes each) and kraken's whole book every second, its bid now below okx's ask, now
 * (for a seeded while) above it: an arbitrage edge that opens and closes. In event-time order.
 */
import { generateBookScenario } from '../../src/adapters/sources/simulator/bookGenerator.js';
import { createRng } from '../../src/domain/prng.js';
import type { BookItem } from '../../src/domain/ports.js';

const krakenQuotes = (start: number, durationMs: number): BookItem[] => {
  const rng = createRng(17);
  const out: BookItem[] = [];
  let crossedFor = 0;
  for (let t = start + 500; t < start + durationMs; t += 1_000) {
    if (crossedFor === 0 && rng.next() < 0.1) crossedFor = 1 + Math.floor(rng.next() * 5);
    const bid = crossedFor > 0 ? '101.00' : '99.00';
    crossedFor = Math.max(0, crossedFor - 1);
    out.push({ kind: 'bookSnapshot', data: { exchange: 'kraken', symbol: 'BTC-USDT', bids: [[bid, '1']], asks: [['102.00', '1']], eventTime: t } });
  }
  return out;
};

export const busyBookItems = (start: number, durationMs: number): BookItem[] =>
  [
    ...generateBookScenario({ seed: 5, exchange: 'okx', symbol: 'BTC-USDT', start, durationMs, stepMs: 100, episodes: 2, rounds: 4 }).items,
    ...generateBookScenario({ seed: 9, exchange: 'bybit', symbol: 'BTC-USDT', start: start + 50, durationMs, stepMs: 100, episodes: 2, rounds: 4 }).items,
    ...krakenQuotes(start, durationMs),
  ].sort((a, b) => a.data.eventTime - b.data.eventTime);

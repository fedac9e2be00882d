/**
 * decode: messages/s that each connector's wire decoder turns into canonical items (parse,
 * validate every field, normalise symbol and side), against plain JSON.parse of the same lines
 * in the same run. Binance lines are the real 2024 spot recording when ../shared/data is present
 * (its @trade frames, plus every other frame so skips are measured too), else generated frames of
 * the documented shape; Coinbase lines are generated `match` frames of the documented shape.
 * Goal: every decoder at ≥ 40% of JSON.parse. `value`/`baseline`/`ratio` are the worst connector.
 */
import { EXCHANGE_DECODERS } from '../src/adapters/sources/wire/exchangeDecoders.js';
import { SKIPPED } from '../src/adapters/sources/wire/decoded.js';
import { binanceLines } from './support/wireLines.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const N = Number(process.env['BENCH_MESSAGES'] ?? 200_000);
const T0 = Date.UTC(2024, 7, 8);
const coinbaseLines = (): string[] => Array.from({ length: N }, (_, i) => JSON.stringify({
  type: 'match', trade_id: 10 + i, sequence: 50 + i * 3, maker_order_id: 'ac928c66-ca53-498f-9c13-a110027a60e8', taker_order_id: '132fb6ae-456b-4654-b4e0-d681ac05cea1',
  time: new Date(T0 + i * 7).toISOString().replace('Z', '459Z'), product_id: 'BTC-USD', size: '5.23512', price: (400.23 + (i % 50)).toFixed(2), side: i % 3 === 0 ? 'buy' : 'sell',
}));

/** One pass: messages per second of `f` over every line. */
const pass = (lines: readonly string[], f: (line: string) => unknown): number => {
  let sink = 0;
  const t0 = performance.now();
  for (const line of lines) if (f(line) !== undefined) sink++;
  const seconds = (performance.now() - t0) / 1000;
  return sink >= 0 ? lines.length / seconds : 0;
};

/** Best of ROUNDS for each, the two interleaved so that warm-up and GC fall on both alike. */
const rates = (lines: readonly string[], a: (line: string) => unknown, b: (line: string) => unknown): [number, number] => {
  let bestA = 0;
  let bestB = 0;
  for (let r = 0; r < ROUNDS; r++) {
    bestA = Math.max(bestA, pass(lines, a));
    bestB = Math.max(bestB, pass(lines, b));
  }
  return [bestA, bestB];
};

const measure = (name: string, lines: readonly string[]) => {
  const decode = EXCHANGE_DECODERS[name]!;
  const counts = { facts: 0, skipped: 0, rejected: 0 };
  for (const l of lines) {
    const d = decode(l);
    if (d === SKIPPED) counts.skipped++;
    else if (d.kind === 'rejected') counts.rejected++;
    else counts.facts++;
  }
  const [baseline, value] = rates(lines, (l) => JSON.parse(l) as unknown, decode);
  const result = { messages: lines.length, ...counts, value: Math.round(value), baseline: Math.round(baseline), ratio: Number((value / baseline).toFixed(3)) };
  console.log(`${name.padEnd(9)} ${result.value.toLocaleString('en')} msg/s decoded vs ${result.baseline.toLocaleString('en')} msg/s JSON.parse (${(result.ratio * 100).toFixed(0)}%) over ${lines.length} lines: ${counts.facts} facts, ${counts.skipped} skipped, ${counts.rejected} rejected`);
  return result;
};

const binance = binanceLines(N);
console.log(`binance lines: ${binance.from}; coinbase lines: generated documented-shape match frames; best of ${ROUNDS} rounds`);
const results = { binance: measure('binance', binance.lines), coinbase: measure('coinbase', coinbaseLines()) };
const worst = Object.values(results).reduce((a, b) => (a.ratio <= b.ratio ? a : b));
console.log(JSON.stringify({ bench: 'decode', value: worst.value, unit: 'messages/s', baseline: worst.baseline, ratio: worst.ratio, goalRatio: 0.4, binance: results.binance, coinbase: results.coinbase, binanceLines: binance.from }));

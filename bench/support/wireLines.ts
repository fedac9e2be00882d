/**
 * Binance trade frames for the benchmarks that decode: the real 2024 spot recording when
 * ../shared/data is present (its @trade frames, plus every other frame so skips are measured
 * too), else `n` generated frames of the documented shape.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const recording = path.resolve(import.meta.dirname, '../../../shared/data/binance-spot-ws-2024-08-08/btcusdt_20240808.gz');
const T0 = Date.UTC(2024, 7, 8);

export const binanceLines = (n: number): { lines: string[]; from: string } => {
  if (existsSync(recording)) {
    const lines = gunzipSync(readFileSync(recording)).toString('utf8').split('\n').filter((l) => l !== '').map((l) => l.slice(l.indexOf(' ') + 1));
    return { lines, from: 'recording binance-spot-ws-2024-08-08/btcusdt_20240808.gz' };
  }
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ stream: 'btcusdt@trade', data: { e: 'trade', E: T0 + i, s: 'BTCUSDT', t: 3_735_683_259 + i, p: (61_837.63 + (i % 100) / 100).toFixed(8), q: '0.02000000', T: T0 + i, m: i % 2 === 0, M: true } }));
  return { lines, from: 'generated documented-shape frames' };
};

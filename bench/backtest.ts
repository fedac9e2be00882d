/**
 * backtest: bar-evaluations/s of the embedded backtest engine on a grid of 100 SMA pairs over one
 * year of 1m bars (525,600) for one symbol, against vectorbt 1.0 on the same grid and bars in the
 * same run (MA.run for the averages, from_signals over the 100 columns; its numba JIT warmed up
 * by one untimed run; best of BENCH_ROUNDS). A bar-evaluation is one bar of one parameter pair:
 * its signal and its simulation step. Goal: ratio ≥ 1.
 *
 * The bars are a geometric Brownian motion (60% a year, seed 19): ../shared/data has one month
 * of 1m klines, not a year. Both sides' final equities are compared too (`disagreements`: pairs
 * further apart than 1e-9 relative, or with another trade count), so the speed is of the same work.
 * Python: the local stack's venv (TICKVAULT_PYTHON, else {stackDir}/endpoints.json's spark.python).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../src/app/config.js';
import { createRng } from '../src/domain/prng.js';
import { scoreGrid } from '../src/domain/backtest/backtest.js';
import { DEFAULT_COSTS, DEFAULT_INITIAL_CASH } from '../src/domain/backtest/simulate.js';
import type { Strategy } from '../src/domain/backtest/strategies.js';

const BARS = Number(process.env['BENCH_BARS'] ?? 525_600);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const FASTS = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
const SLOWS = [60, 120, 180, 240, 300, 360, 420, 480, 540, 600];
const ANNUAL_VOL = 0.6;

const gbmBars = (n: number) => {
  const rng = createRng(19);
  const sigma = ANNUAL_VOL / Math.sqrt(525_600);
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const close = new Float64Array(n);
  let last = 20_000;
  for (let i = 0; i < n; i++) {
    time[i] = Date.UTC(2024, 0, 1) + i * 60_000;
    // Decimal prices to the cent, as an exchange quotes them: ties between averages do occur.
    open[i] = Math.round(last * Math.exp(0.1 * sigma * rng.normal()) * 100) / 100;
    close[i] = last = Math.round(open[i]! * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2) * 100) / 100;
  }
  return { time, open, close };
};

const python = (): string => {
  const given = process.env['TICKVAULT_PYTHON'];
  if (given !== undefined && given !== '') return given;
  const file = path.resolve(process.env['TICKVAULT_STACK_DIR'] ?? DEFAULT_CONFIG.stackDir, 'endpoints.json');
  const found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { spark?: { python?: string } }).spark?.python : undefined;
  if (found === undefined) throw new Error(`no Python with vectorbt: ${file} names none; set TICKVAULT_PYTHON, or start the local stack (npm run stack -- up spark)`);
  return found;
};

interface VectorbtTiming { seconds: number; finalValues: number[]; trades: number[] }

const vectorbt = (bars: ReturnType<typeof gbmBars>, pairs: Array<[number, number]>): Promise<VectorbtTiming> =>
  new Promise((resolve, reject) => {
    const script = path.resolve(import.meta.dirname, '../test/support/backtest_reference.py');
    const child = spawn(python(), [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.once('error', reject);
    child.once('close', (status) => {
      if (status !== 0) return reject(new Error(`backtest_reference.py exited with ${status}`));
      resolve((JSON.parse(Buffer.concat(out).toString('utf8')) as { timing: VectorbtTiming }).timing);
    });
    child.stdin.end(JSON.stringify({ timing: { open: [...bars.open], close: [...bars.close], fasts: pairs.map((p) => p[0]), slows: pairs.map((p) => p[1]), repeats: ROUNDS } }));
  });

const main = async (): Promise<void> => {
  const bars = gbmBars(BARS);
  const pairs = FASTS.flatMap((fast) => SLOWS.map((slow) => [fast, slow] as [number, number]));
  const strategies: Strategy[] = pairs.map(([fast, slow]) => ({ kind: 'sma-crossover', fast, slow }));
  const options = { mode: 'long-only' as const, costs: DEFAULT_COSTS, initialCash: DEFAULT_INITIAL_CASH };

  // Warm-up (V8's optimising compiler), then the best of ROUNDS: the same treatment as vectorbt's JIT.
  scoreGrid(strategies.slice(0, 2), { bars }, options);
  let best = Infinity;
  let scores = scoreGrid(strategies, { bars }, options);
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    scores = scoreGrid(strategies, { bars }, options);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const reference = await vectorbt(bars, pairs);
  const disagreements = scores.flatMap((s, i) => {
    const want = reference.finalValues[i]!;
    const same = Math.abs(s.finalEquity - want) <= 1e-9 * Math.abs(want) && s.trades === reference.trades[i];
    return same ? [] : [`${JSON.stringify(s.strategy)}: ${s.finalEquity} in ${s.trades} trades, vectorbt ${want} in ${reference.trades[i]}`];
  });

  const evaluations = BARS * pairs.length;
  const value = evaluations / best;
  const baseline = evaluations / reference.seconds;
  console.log(`engine: ${pairs.length} SMA pairs × ${BARS} bars in ${(best * 1000).toFixed(0)} ms; vectorbt ${(reference.seconds * 1000).toFixed(0)} ms`);
  console.log(JSON.stringify({
    bench: 'backtest',
    value: Math.round(value),
    unit: 'bar-evaluations/s',
    baseline: Math.round(baseline),
    ratio: Number((value / baseline).toFixed(3)),
    bars: BARS,
    pairs: pairs.length,
    barsFrom: 'synthetic GBM (60%/year, seed 19, cent prices)',
    engineMs: Math.round(best * 1000),
    vectorbtMs: Math.round(reference.seconds * 1000),
    trades: scores.reduce((s, x) => s + x.trades, 0),
    disagreements: disagreements.length,
    ...(disagreements.length === 0 ? {} : { disagreeing: disagreements.slice(0, 5) }),
  }));
};

await main();

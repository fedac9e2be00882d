/**
 * network: wall time of the nightly correlation + network pass on the embedded engine for 1,000
 * synthetic symbols × 365 days (plus the as-of day's close before them): for each window (30, 90,
 * 365 days) and method (Pearson, Spearman), the matrix pairwise over shared returns, the network
 * (threshold graph at 0.5, Mantegna tree, PageRank, Louvain, label propagation, components, paths to
 * BTC and ETH) and the SHA-256 of both views' canonical JSON: what the daily job publishes, without
 * the reading of candles and the ledger appends.
 *
 * Baseline in the same run, on the same returns: the same pass with pandas' pairwise DataFrame.corr
 * and networkx (bench/support/network_baseline.py, with the stack's Python). numpy's corrcoef alone
 * would be faster but cannot skip missing returns, and 2% of the symbols here list mid-year as real
 * ones do; networkx's pagerank, tree, components, Louvain, label propagation and Dijkstra are the
 * reference the embedded engine is tested against.
 *
 * Returns are a factor model: a market factor, one of 20 sectors and noise, so that about a tenth of
 * the pairs pass the threshold as a sector structure does. `value` is the embedded pass in seconds,
 * `baseline` the Python pass; `ratio` is baseline / value (above 1: the embedded engine is faster).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { returnTable, type ReturnTable } from '../src/domain/analytics/correlation.js';
import { DEFAULT_THRESHOLD, type CorrelationWindow } from '../src/domain/analytics/definitions.js';
import { DAY_MS, utcDay } from '../src/domain/time.js';
import { nightlyViews } from '../src/read-models/analytics/analyticsViews.js';

const SYMBOLS = Number(process.env['BENCH_SYMBOLS'] ?? 1_000);
const DAYS = 365;
const SECTORS = 20;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const ASOF = Date.UTC(2025, 11, 31);
const WINDOWS: ReadonlyArray<readonly [CorrelationWindow, number]> = [['30d', 30], ['90d', 90], ['365d', 365]];

/** xorshift32 and Box-Muller: the same synthetic market on every run. */
const normals = (seed: number) => {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 1) / 4_294_967_297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
};

const market = () => {
  const z = normals(2025);
  const factor = Array.from({ length: SECTORS + 1 }, () => Array.from({ length: DAYS }, () => z()));
  return Array.from({ length: SYMBOLS }, (_, k) => {
    const symbol = k === 0 ? 'BTC-USDT' : k === 1 ? 'ETH-USDT' : `S${String(k).padStart(4, '0')}-USDT`;
    const sector = 1 + (k % SECTORS);
    const beta = 0.4 + 0.4 * Math.abs(z());
    const load = 0.5 + 0.4 * Math.abs(z());
    const vol = 0.02 + 0.03 * Math.abs(z());
    // One symbol in fifty lists mid-year: its pairs take the pairwise path.
    const listed = k % 50 === 49 ? Math.floor(DAYS / 2) : 0;
    const returns = Array.from({ length: DAYS }, (_, t) => ({ time: ASOF - (DAYS - 1 - t) * DAY_MS, value: vol * (beta * factor[0]![t]! + load * factor[sector]![t]! + 0.7 * z()) / 1.4 }))
      .slice(listed);
    return { symbol, returns };
  });
};

const tables = (series: ReturnType<typeof market>): Array<{ window: CorrelationWindow; table: ReturnTable }> =>
  WINDOWS.map(([window, n]) => ({ window, table: returnTable(series.map((s) => ({ symbol: s.symbol, returns: s.returns.filter((r) => r.time > ASOF - n * DAY_MS) }))) }));

const embeddedPass = (inputs: ReturnType<typeof tables>): number => {
  const t0 = performance.now();
  let views = 0;
  for (const { window, table } of inputs) views += nightlyViews(table, utcDay(ASOF), window, DEFAULT_THRESHOLD).length;
  const seconds = (performance.now() - t0) / 1000;
  if (views !== inputs.length * 4) throw new Error(`expected ${inputs.length * 4} views, made ${views}`);
  return seconds;
};

const python = (): string => {
  const file = path.join(process.env['TICKVAULT_STACK_DIR'] ?? path.resolve(import.meta.dirname, '..', '.stack'), 'endpoints.json');
  if (!existsSync(file)) throw new Error(`no ${file}: the baseline needs the stack's Python (npm run stack -- up spark)`);
  const spark = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { python?: string }>)['spark'];
  if (spark?.python === undefined) throw new Error(`no spark endpoint with a python in ${file}: npm run stack -- up spark`);
  return spark.python;
};

interface BaselineAnswer { seconds: number; runs: Array<{ window: string; method: string; matrix: number; total: number; edges: number }> }

const baselinePass = (inputs: ReturnType<typeof tables>): Promise<BaselineAnswer> =>
  new Promise((resolve, reject) => {
    const child = spawn(python(), [path.join(import.meta.dirname, 'support', 'network_baseline.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.once('error', reject);
    child.once('close', (status) => (status === 0 ? resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as BaselineAnswer) : reject(new Error(`network_baseline.py exited with ${status}`))));
    child.stdin.end(JSON.stringify({
      asOf: utcDay(ASOF),
      threshold: DEFAULT_THRESHOLD,
      windows: inputs.map(({ window, table }) => ({ window, symbols: table.symbols, columns: table.columns.map((c) => Array.from(c, (v) => (Number.isNaN(v) ? null : v))) })),
    }));
  });

const main = async () => {
  const inputs = tables(market());
  // Best of ROUNDS: the first warms the JIT; the machine is shared, so the fastest round is the one least disturbed.
  const rounds = Array.from({ length: ROUNDS }, () => embeddedPass(inputs));
  const value = Math.min(...rounds);
  console.error(`embedded pass: ${rounds.map((s) => s.toFixed(2)).join(', ')} s`);
  const baseline = await baselinePass(inputs);
  console.error(`baseline pass: ${baseline.seconds.toFixed(2)} s; per window and method: ${baseline.runs.map((r) => `${r.window}/${r.method} ${r.total.toFixed(2)} s (matrix ${r.matrix.toFixed(2)}, ${r.edges} edges)`).join('; ')}`);
  console.log(JSON.stringify({
    bench: 'network',
    value: Number(value.toFixed(3)),
    unit: `s (nightly pass, ${SYMBOLS} symbols x ${DAYS} days, 3 windows x 2 methods)`,
    baseline: Number(baseline.seconds.toFixed(3)),
    ratio: Number((baseline.seconds / value).toFixed(3)),
    symbols: SYMBOLS,
    rounds: rounds.map((s) => Number(s.toFixed(3))),
    baselineRuns: baseline.runs,
  }));
};

await main();

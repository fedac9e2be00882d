/**
 * Correlation matrices of return series, pairwise over the returns both symbols have: Pearson's ρ
 * of the returns, or Spearman's (Pearson's of their average ranks, ranked within the pair's shared
 * returns as scipy's spearmanr ranks a pair). A pair sharing fewer than MIN_SHARED_RETURNS returns,
 * or one without spread over them, has no correlation (NaN here, null in answers).
 */
import type { BarReturn } from '../risk/returns.js';
import { MIN_SHARED_RETURNS, type CorrelationMethod } from './definitions.js';
import { averageRanks } from './ranks.js';

/** Return series aligned on the union of their bar times; NaN where a symbol has no return. */
export interface ReturnTable {
  readonly symbols: readonly string[];
  readonly times: readonly number[];
  readonly columns: readonly Float64Array[];
}

export const returnTable = (series: ReadonlyArray<{ readonly symbol: string; readonly returns: readonly BarReturn[] }>): ReturnTable => {
  const times = [...new Set(series.flatMap((s) => s.returns.map((r) => r.time)))].sort((a, b) => a - b);
  const row = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const col = new Float64Array(times.length).fill(Number.NaN);
    for (const r of s.returns) col[row.get(r.time)!] = r.value;
    return col;
  });
  return { symbols: series.map((s) => s.symbol), times, columns };
};

/** Row-major n × n: `values[i * n + j]` is ρ of symbols i and j (NaN when undefined), `shared` the returns it is over. */
export interface CorrelationMatrix {
  readonly symbols: readonly string[];
  readonly values: Float64Array;
  readonly shared: Int32Array;
}

/**
 * All values equal. Tested exactly: a constant series' mean is off by rounding, and the deviations
 * from it (1e-18) would otherwise pass for spread and correlate anything with it.
 */
const flat = (v: ArrayLike<number>): boolean => {
  for (let k = 1; k < v.length; k++) if (v[k] !== v[0]) return false;
  return true;
};

/** Pearson's ρ by the two-pass formula, clipped to [−1, 1] as numpy's corrcoef is; NaN without spread. */
export const pearson = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  const n = x.length;
  if (n < MIN_SHARED_RETURNS || flat(x) || flat(y)) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += x[k]!;
    my += y[k]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = x[k]! - mx;
    const dy = y[k]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
};

export const spearman = (x: ArrayLike<number>, y: ArrayLike<number>): number => pearson(averageRanks(x), averageRanks(y));

const complete = (col: Float64Array): boolean => col.every((v) => !Number.isNaN(v));

/**
 * A complete column centred and scaled to unit length (of its ranks for Spearman): ρ of two complete
 * columns is then their dot product, which keeps the 1,000-symbol nightly pass to one multiply-add per
 * pair and bar. Null when the column has no spread.
 */
const unitColumn = (col: Float64Array, method: CorrelationMethod): Float64Array | null => {
  if (flat(col)) return null;
  const v = method === 'spearman' ? averageRanks(col) : col;
  let mean = 0;
  for (let k = 0; k < v.length; k++) mean += v[k]!;
  mean /= v.length;
  const out = new Float64Array(v.length);
  let norm = 0;
  for (let k = 0; k < v.length; k++) {
    out[k] = v[k]! - mean;
    norm += out[k]! * out[k]!;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let k = 0; k < v.length; k++) out[k]! *= scale;
  return out;
};

/** The rows of a column that hold a return, by value: sorted once, so a pair's ranks need no sort of their own. */
const byValue = (col: Float64Array): Int32Array => {
  const rows: number[] = [];
  for (let k = 0; k < col.length; k++) if (!Number.isNaN(col[k]!)) rows.push(k);
  return Int32Array.from(rows.sort((a, b) => col[a]! - col[b]!));
};

/**
 * Average ranks of `col` among the rows in `shared`, read off the column's order by value: the rows
 * it keeps are already in order, so ranking a pair's shared returns is one pass, not a sort (a
 * symbol listed mid-window has a thousand such pairs in the nightly pass).
 */
const sharedRanks = (col: Float64Array, order: Int32Array, shared: Uint8Array, count: number): Float64Array => {
  const kept = new Int32Array(count);
  let n = 0;
  for (const row of order) if (shared[row]) kept[n++] = row;
  const ranks = new Float64Array(col.length);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && col[kept[j + 1]!] === col[kept[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[kept[k]!] = rank;
    i = j + 1;
  }
  return ranks;
};

/** ρ over the rows where both columns have a return. */
const pairwise = (a: Float64Array, b: Float64Array, method: CorrelationMethod, orderA: Int32Array, orderB: Int32Array): { rho: number; shared: number } => {
  const shared = new Uint8Array(a.length);
  const rows: number[] = [];
  for (let k = 0; k < a.length; k++) {
    if (!Number.isNaN(a[k]!) && !Number.isNaN(b[k]!)) {
      shared[k] = 1;
      rows.push(k);
    }
  }
  const [va, vb] = method === 'spearman' ? [sharedRanks(a, orderA, shared, rows.length), sharedRanks(b, orderB, shared, rows.length)] : [a, b];
  return { rho: pearson(rows.map((k) => va[k]!), rows.map((k) => vb[k]!)), shared: rows.length };
};

export const correlationMatrix = (table: ReturnTable, method: CorrelationMethod): CorrelationMatrix => {
  const n = table.symbols.length;
  const rows = table.times.length;
  const values = new Float64Array(n * n).fill(Number.NaN);
  const shared = new Int32Array(n * n);
  const isComplete = table.columns.map(complete);
  const units = table.columns.map((c, i) => (isComplete[i] && rows >= MIN_SHARED_RETURNS ? unitColumn(c, method) : null));
  const orders = method === 'spearman' ? table.columns.map(byValue) : [];
  const noOrder = new Int32Array(0);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let rho: number;
      let count: number;
      if (isComplete[i] && isComplete[j]) {
        count = rows;
        const u = units[i];
        const w = units[j];
        if (u === null || w === null || u === undefined || w === undefined) rho = Number.NaN;
        else {
          let dot = 0;
          for (let k = 0; k < rows; k++) dot += u[k]! * w[k]!;
          rho = i === j ? 1 : Math.max(-1, Math.min(1, dot));
        }
      } else {
        ({ rho, shared: count } = pairwise(table.columns[i]!, table.columns[j]!, method, orders[i] ?? noOrder, orders[j] ?? noOrder));
        if (i === j && !Number.isNaN(rho)) rho = 1;
      }
      values[i * n + j] = values[j * n + i] = rho;
      shared[i * n + j] = shared[j * n + i] = count;
    }
  }
  return { symbols: table.symbols, values, shared };
};

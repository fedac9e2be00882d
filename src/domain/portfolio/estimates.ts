/**
 * The optimiser's inputs from a matrix of daily returns (rows = days, columns = assets):
 * expected returns mean(r)·365, the sample covariance (ddof 1)·365, and the Ledoit-Wolf
 * shrunk covariance towards a constant-variance target (Ledoit and Wolf, 2004, "A well-conditioned
 * estimator for large-dimensional covariance matrices"), in the form sklearn's
 * `covariance.ledoit_wolf` computes it and PyPortfolioOpt's `CovarianceShrinkage.ledoit_wolf()`
 * annualises: on the maximum-likelihood covariance (ddof 0) of the centred returns.
 */
import type { Matrix } from './matrix.js';

export const ANNUAL_DAYS = 365;

export const EXPECTED_RETURNS_DEFINITION = 'mean(r) * 365, r = simple daily returns of the days every symbol has one';
export const COVARIANCE_DEFINITIONS = {
  sample: 'sample covariance of r (ddof 1) * 365',
  'ledoit-wolf': '((1 - delta) * C + delta * trace(C) / n * I) * 365, C = covariance of r with ddof 0, delta = Ledoit-Wolf shrinkage (as sklearn.covariance.ledoit_wolf)',
} as const;

const columnMeans = (rows: Matrix): number[] => {
  const n = rows[0]?.length ?? 0;
  const m = new Array<number>(n).fill(0);
  for (const row of rows) for (let i = 0; i < n; i++) m[i]! += row[i]!;
  return m.map((x) => x / rows.length);
};

const centred = (rows: Matrix): number[][] => {
  const m = columnMeans(rows);
  return rows.map((row) => row.map((x, i) => x - m[i]!));
};

/** Xᵀ X / divisor of the centred rows. */
const scatter = (x: Matrix, divisor: number): number[][] => {
  const n = x[0]?.length ?? 0;
  const out = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const row of x) {
    for (let i = 0; i < n; i++) {
      const ri = row[i]!;
      const o = out[i]!;
      for (let j = i; j < n; j++) o[j]! += ri * row[j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[j]![i] = out[i]![j]! = out[i]![j]! / divisor;
  return out;
};

const annualised = (m: Matrix): number[][] => m.map((row) => row.map((x) => x * ANNUAL_DAYS));

export const expectedReturns = (rows: Matrix): number[] => columnMeans(rows).map((x) => x * ANNUAL_DAYS);

/** Daily sample covariance (ddof 1), not annualised: what a stress test conditions on. */
export const dailyCovariance = (rows: Matrix): number[][] => scatter(centred(rows), rows.length - 1);

export const sampleCovariance = (rows: Matrix): number[][] => annualised(dailyCovariance(rows));

/**
 * δ = min(β, δ̄) / δ̄ with, for the centred X (n rows, p columns) and C = XᵀX / n, μ = tr(C) / p:
 * δ̄ = ‖C − μI‖²_F / p and β = (Σ_t ‖x_t x_tᵀ − C‖²_F / n) / (n p), the last computed as
 * sklearn does, (Σ_ij (X²ᵀX²)_ij / n − ‖C‖²_F) / (n p).
 */
export const ledoitWolf = (rows: Matrix): { covariance: number[][]; shrinkage: number } => {
  const x = centred(rows);
  const n = x.length;
  const p = x[0]?.length ?? 0;
  const c = scatter(x, n);
  const mu = c.reduce((s, row, i) => s + row[i]!, 0) / p;
  const squares = scatter(x.map((row) => row.map((v) => v * v)), 1);
  let sumSquares4 = 0;
  let frobenius = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      sumSquares4 += squares[i]![j]!;
      frobenius += c[i]![j]! * c[i]![j]!;
    }
  }
  const traceC = mu * p;
  const deltaBar = (frobenius - 2 * mu * traceC + p * mu * mu) / p;
  const beta = Math.min((sumSquares4 / n - frobenius) / (n * p), deltaBar);
  // One asset has nothing to shrink towards (sklearn answers 0 too).
  const shrinkage = p === 1 || beta === 0 ? 0 : beta / deltaBar;
  const shrunk = c.map((row, i) => row.map((v, j) => (1 - shrinkage) * v + (i === j ? shrinkage * mu : 0)));
  return { covariance: annualised(shrunk), shrinkage };
};

/**
 * The little dense linear algebra the portfolio figures need (a dozen assets, not thousands):
 * products, and one linear solve. Written here because the domain imports nothing; Gaussian
 * elimination with partial pivoting is exact enough for the covariance blocks a stress test
 * inverts (they are small and symmetric positive definite unless the data are degenerate, which
 * the solve reports).
 */

export type Matrix = readonly (readonly number[])[];

export const dot = (a: readonly number[], b: readonly number[]): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

export const matVec = (m: Matrix, v: readonly number[]): number[] => m.map((row) => dot(row, v));

/** wᵀ S w */
export const quadraticForm = (w: readonly number[], s: Matrix): number => dot(w, matVec(s, w));

/** The rows and columns `idx` of a square matrix. */
export const submatrix = (m: Matrix, rows: readonly number[], cols: readonly number[]): number[][] => rows.map((i) => cols.map((j) => m[i]![j]!));

/**
 * x with A x = b, or undefined when A is singular (a pivot below 1e-14 of the largest entry: the
 * shocked assets move together so exactly that their covariance cannot be inverted).
 */
export const solveLinear = (a: Matrix, b: readonly number[]): number[] | undefined => {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...a.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-14 * scale)) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / p[col]!;
      for (let c = col; c <= n; c++) row[c]! -= f * p[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
};

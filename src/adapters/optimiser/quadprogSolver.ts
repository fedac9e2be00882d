/**
 * The QuadraticSolver port on the `quadprog` package (Goldfarb and Idnani's dual active-set method,
 * ported from R's quadprog): exact at the optimum's active set, no tolerance to tune. It takes
 * 1-indexed arrays and the constraint matrix by columns; this adapter translates.
 */
import quadprog from 'quadprog';
import type { QuadraticSolver } from '../../domain/ports.js';

/** A 1-indexed copy of a 0-indexed vector (quadprog ignores index 0). */
const oneIndexed = (v: readonly number[]): number[] => [0, ...v];

export const quadprogSolver: QuadraticSolver = (program) => {
  const n = program.d.length;
  const constraints = [...program.equalities, ...program.inequalities];
  // quadprog's D is destroyed by its factorisation: give it a copy.
  const D = [[], ...program.D.map((row) => oneIndexed(row))];
  // Amat[i][j]: variable i's coefficient in constraint j.
  const A = [[], ...Array.from({ length: n }, (_, i) => oneIndexed(constraints.map((c) => c.a[i]!)))];
  const result = quadprog.solveQP(D, oneIndexed(program.d), A, oneIndexed(constraints.map((c) => c.b)), program.equalities.length);
  if (result.message !== '') return { ok: false, reason: result.message };
  const x = result.solution.slice(1);
  if (x.length !== n || !x.every(Number.isFinite)) return { ok: false, reason: 'the solver returned no finite solution' };
  return { ok: true, x };
};

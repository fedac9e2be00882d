/** The part of the untyped npm `quadprog` (a port of R's quadprog, Fortran-style 1-indexed arrays) that quadprogSolver.ts uses. */
declare module 'quadprog' {
  export interface QpResult {
    solution: number[];
    value: number[];
    message: string;
  }
  /** min −dᵀb + ½ bᵀDb subject to Aᵀb ≥ b0, the first `meq` as equalities; every array 1-indexed (index 0 unused). */
  export function solveQP(Dmat: number[][], dvec: number[], Amat: number[][], bvec: number[], meq?: number): QpResult;
}

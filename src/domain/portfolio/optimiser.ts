/**
 * Mean-variance optimisation, long-only with per-asset bounds, as PyPortfolioOpt's
 * EfficientFrontier states each objective (mu and S annual, from estimates.ts):
 *
 * - min_volatility: min wᵀSw, Σw = 1, lo ≤ w ≤ hi.
 * - efficient_return(target): the same with μᵀw ≥ target.
 * - max_sharpe(rf): max (μᵀw − rf)/√(wᵀSw), by the standard substitution y = w/κ (Cornuejols and
 *   Tütüncü, 2006): min yᵀSy with (μ − rf)ᵀy = 1, lo·Σy ≤ y ≤ hi·Σy; w = y/Σy. κ = Σy is
 *   eliminated rather than kept as a variable, so the program stays strictly convex (the QP solver
 *   needs D positive definite). When no asset's expected return exceeds rf there is no solution:
 *   the answer is min_volatility, flagged with the reason.
 * - efficient_risk(target σ): max μᵀw with wᵀSw ≤ σ², a quadratic constraint the QP solver does not
 *   take. The efficient frontier's volatility rises with its return from the minimum-volatility
 *   portfolio to the maximum return, so the answer is efficient_return(t) at the t where that
 *   volatility is σ, found by bisection (or the maximum-return end when even it is below σ).
 *
 * Every QP goes to the QuadraticSolver port (quadprog in adapters/optimiser/).
 */
import { InvalidInputError } from '../errors.js';
import type { OptimisationObjective } from '../events/portfolio.js';
import type { QuadraticProgram, QuadraticSolver } from '../ports.js';
import { dot, quadraticForm, type Matrix } from './matrix.js';

export type Bounds = readonly (readonly [number, number])[];

export interface OptimisationInput {
  /** Annual expected returns, one per asset. */
  readonly mu: readonly number[];
  /** Annual covariance. */
  readonly S: Matrix;
  readonly bounds: Bounds;
  /** Annual risk-free rate (max_sharpe and the reported Sharpe ratio). */
  readonly riskFree: number;
}

export interface Performance {
  readonly expectedReturn: number;
  readonly volatility: number;
  /** null at zero volatility. */
  readonly sharpe: number | null;
}

export interface Optimised {
  readonly objective: OptimisationObjective;
  readonly solved: OptimisationObjective;
  readonly fallback: { readonly reason: string } | null;
  readonly weights: number[];
  readonly performance: Performance;
}

export type ObjectiveRequest =
  | { readonly objective: 'min_volatility' | 'max_sharpe' }
  | { readonly objective: 'efficient_return'; readonly targetReturn: number }
  | { readonly objective: 'efficient_risk'; readonly targetVolatility: number };

/** The optimiser could not meet the request with these data (a target out of reach, a singular covariance). */
export class OptimisationError extends InvalidInputError {}

export const performanceOf = (w: readonly number[], { mu, S, riskFree }: OptimisationInput): Performance => {
  const expectedReturn = dot(w, mu);
  const volatility = Math.sqrt(Math.max(0, quadraticForm(w, S)));
  return { expectedReturn, volatility, sharpe: volatility > 0 ? (expectedReturn - riskFree) / volatility : null };
};

/** Checks bounds: 0 ≤ lo ≤ hi ≤ 1 per asset, and Σlo ≤ 1 ≤ Σhi so that some weights sum to 1. */
export const checkBounds = (bounds: Bounds, names: readonly string[]): void => {
  bounds.forEach(([lo, hi], i) => {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && lo <= hi && hi <= 1)) {
      throw new InvalidInputError(`bounds.${names[i]}: expected [lower, upper] with 0 <= lower <= upper <= 1 (long-only), got [${lo}, ${hi}]`);
    }
  });
  const lo = bounds.reduce((s, b) => s + b[0], 0);
  const hi = bounds.reduce((s, b) => s + b[1], 0);
  if (lo > 1 + 1e-12 || hi < 1 - 1e-12) throw new InvalidInputError(`bounds: no weights within them sum to 1 (lower bounds sum to ${lo}, upper bounds to ${hi})`);
};

const unit = (n: number, i: number): number[] => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
const ones = (n: number): number[] => new Array<number>(n).fill(1);

const boxConstraints = (bounds: Bounds) =>
  bounds.flatMap(([lo, hi], i) => [
    { a: unit(bounds.length, i), b: lo },
    { a: unit(bounds.length, i).map((x) => -x), b: -hi },
  ]);

const solveOrThrow = (solve: QuadraticSolver, program: QuadraticProgram, what: string): number[] => {
  const s = solve(program);
  if (!s.ok) {
    throw new OptimisationError(
      `${what}: the quadratic program has no solution (${s.reason}); a singular covariance (fewer days than assets, or assets that move as one) needs covariance=ledoit-wolf`,
    );
  }
  return s.x;
};

const varianceProgram = (S: Matrix) => ({ D: S.map((row) => row.map((x) => 2 * x)), d: new Array<number>(S.length).fill(0) });

export const minVolatility = (input: OptimisationInput, solve: QuadraticSolver): number[] =>
  solveOrThrow(solve, { ...varianceProgram(input.S), equalities: [{ a: ones(input.mu.length), b: 1 }], inequalities: boxConstraints(input.bounds) }, 'min_volatility');

/** The highest μᵀw within the bounds: the lower bounds, then what is left to the best assets first. */
export const maxReturn = ({ mu, bounds }: OptimisationInput): { value: number; weights: number[] } => {
  const w = bounds.map(([lo]) => lo);
  let left = 1 - w.reduce((s, x) => s + x, 0);
  for (const i of mu.map((_, i) => i).sort((a, b) => mu[b]! - mu[a]!)) {
    const add = Math.min(left, bounds[i]![1] - w[i]!);
    w[i]! += add;
    left -= add;
  }
  return { value: dot(w, mu), weights: w };
};

/**
 * Below the highest return by this much (relative), a target counts as the highest: there the
 * feasible set shrinks to a vertex, and the rounding of μᵀw can make the exact constraint look
 * inconsistent to the solver.
 */
const TOP_TOLERANCE = 1e-10;

export const efficientReturn = (input: OptimisationInput, target: number, solve: QuadraticSolver): number[] => {
  const top = maxReturn(input);
  const slack = TOP_TOLERANCE * Math.max(1, Math.abs(top.value));
  if (target > top.value + slack) throw new OptimisationError(`efficient_return: targetReturn ${target} is above the highest expected return the bounds allow, ${top.value}`);
  const n = input.mu.length;
  const program = { ...varianceProgram(input.S), equalities: [{ a: ones(n), b: 1 }], inequalities: [{ a: input.mu, b: Math.min(target, top.value - slack) }, ...boxConstraints(input.bounds)] };
  if (target < top.value - slack) return solveOrThrow(solve, program, 'efficient_return');
  // At the top: the least-variance portfolio of the highest return, or the greedy one (the only one when the returns differ).
  const s = solve(program);
  return s.ok ? s.x : top.weights;
};

/** Weights of max Sharpe, or why there are none. */
export const maxSharpe = (input: OptimisationInput, solve: QuadraticSolver): { ok: true; weights: number[] } | { ok: false; reason: string } => {
  const { mu, bounds, riskFree } = input;
  const n = mu.length;
  const best = Math.max(...mu);
  if (!(best > riskFree)) {
    return { ok: false, reason: `every expected return is at or below the risk-free rate ${riskFree} (the highest is ${best}): no portfolio has a positive Sharpe ratio, so none maximises it` };
  }
  const excess = mu.map((m) => m - riskFree);
  const inequalities = [
    ...bounds.flatMap(([lo, hi], i) => [
      { a: unit(n, i).map((x) => x - lo), b: 0 },
      { a: unit(n, i).map((x) => hi - x), b: 0 },
    ]),
    { a: ones(n), b: 0 },
  ];
  const s = solve({ ...varianceProgram(input.S), equalities: [{ a: excess, b: 1 }], inequalities });
  if (!s.ok) return { ok: false, reason: `no portfolio within the bounds has an expected return above the risk-free rate ${riskFree} (${s.reason})` };
  const k = s.x.reduce((a, b) => a + b, 0);
  return { ok: true, weights: s.x.map((y) => y / k) };
};

/** Bisection steps: each halves the return interval, so 200 reach the last bit of any double. */
const BISECTION_STEPS = 200;

export const efficientRisk = (input: OptimisationInput, targetVolatility: number, solve: QuadraticSolver): number[] => {
  const vol = (w: readonly number[]) => Math.sqrt(Math.max(0, quadraticForm(w, input.S)));
  const minimum = minVolatility(input, solve);
  if (vol(minimum) > targetVolatility) {
    throw new OptimisationError(`efficient_risk: targetVolatility ${targetVolatility} is below the minimum volatility within the bounds, ${vol(minimum)}`);
  }
  let lo = dot(minimum, input.mu);
  let hi = maxReturn(input).value;
  const highest = efficientReturn(input, hi, solve);
  if (vol(highest) <= targetVolatility) return highest;
  let best = minimum;
  for (let i = 0; i < BISECTION_STEPS && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    const w = efficientReturn(input, mid, solve);
    if (vol(w) <= targetVolatility) {
      lo = mid;
      best = w;
    } else hi = mid;
  }
  return best;
};

export const optimise = (input: OptimisationInput, request: ObjectiveRequest, solve: QuadraticSolver): Optimised => {
  const answer = (solved: OptimisationObjective, weights: number[], fallback: Optimised['fallback'] = null): Optimised => ({
    objective: request.objective,
    solved,
    fallback,
    weights,
    performance: performanceOf(weights, input),
  });
  switch (request.objective) {
    case 'min_volatility':
      return answer('min_volatility', minVolatility(input, solve));
    case 'efficient_return':
      return answer('efficient_return', efficientReturn(input, request.targetReturn, solve));
    case 'efficient_risk':
      return answer('efficient_risk', efficientRisk(input, request.targetVolatility, solve));
    case 'max_sharpe': {
      const s = maxSharpe(input, solve);
      return s.ok ? answer('max_sharpe', s.weights) : answer('min_volatility', minVolatility(input, solve), { reason: `${s.reason}; answered with min_volatility instead` });
    }
  }
};

export interface FrontierPoint extends Performance {
  readonly targetReturn: number;
  readonly weights: number[];
}

/**
 * `points` portfolios of efficient_return at targets evenly spaced from the minimum-volatility
 * portfolio's return to the highest the bounds allow (both ends included).
 */
export const efficientFrontier = (input: OptimisationInput, points: number, solve: QuadraticSolver): FrontierPoint[] => {
  const minimum = minVolatility(input, solve);
  const from = dot(minimum, input.mu);
  const to = maxReturn(input).value;
  return Array.from({ length: points }, (_, k) => {
    const targetReturn = points === 1 ? from : from + ((to - from) * k) / (points - 1);
    const weights = k === 0 ? minimum : efficientReturn(input, targetReturn, solve);
    return { targetReturn, weights, ...performanceOf(weights, input) };
  });
};

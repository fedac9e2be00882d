/**
 * Stress tests of a portfolio held at constant weights (rebalanced daily, as its risk figures are):
 *
 * - historical scenarios: the worst days and the worst weeks (7 consecutive days, compounded) of
 *   its return series in the data, named by date, each with what every asset did; weeks do not
 *   overlap (each is the worst of those that share no day with a worse one).
 * - a user's shock (`{"BTC-USDT": -0.3}`): the shocked assets move by the shock, and every other
 *   asset by its conditional expectation given them under the daily covariance Σ of the window,
 *   E[r_o | r_s = s] = Σ_os Σ_ss⁻¹ s (the returns' means are taken as 0 over the shock's horizon,
 *   as a one-day shock is far larger than a day's mean). The loss is −Σ w_i r_i.
 */
import { InvalidInputError } from '../errors.js';
import { DAY_MS, utcDay } from '../time.js';
import { portfolioReturns, type ReturnMatrix } from './alignedReturns.js';
import { dailyCovariance } from './estimates.js';
import { matVec, solveLinear, submatrix } from './matrix.js';

export const WEEK_DAYS = 7;
export const SHOCK_METHOD = 'conditional expectation under the daily sample covariance (ddof 1) of the window: r_other = Sigma_os Sigma_ss^-1 shock';

export interface HistoricalScenario {
  /** First and last day (yyyy-mm-dd); the same day for a one-day scenario. */
  readonly from: string;
  readonly to: string;
  readonly portfolioReturn: number;
  /** −portfolioReturn: positive for a loss. */
  readonly loss: number;
  /** Each asset's (compounded) return over the scenario. */
  readonly assets: Readonly<Record<string, number>>;
}

/** Π(1 + r) − 1, accumulated as (1 + a)(1 + r) − 1 = a + r + a·r: exact for one return, and no 1 + tiny rounding. */
const compound = (rs: readonly number[]): number => rs.reduce((a, r) => a + r + a * r, 0);

const scenario = (m: ReturnMatrix, first: number, last: number, portfolioReturn: number): HistoricalScenario => ({
  from: utcDay(m.times[first]!),
  to: utcDay(m.times[last]!),
  portfolioReturn,
  loss: -portfolioReturn,
  assets: Object.fromEntries(m.symbols.map((s, i) => [s, compound(m.rows.slice(first, last + 1).map((row) => row[i]!))])),
});

/** The `count` worst days and non-overlapping weeks of the portfolio held at `weights` (matrix order). */
export const historicalScenarios = (m: ReturnMatrix, weights: readonly number[], count: number): { worstDays: HistoricalScenario[]; worstWeeks: HistoricalScenario[] } => {
  const rp = portfolioReturns(m, weights).map((r) => r.value);
  const worstDays = rp
    .map((r, t) => ({ r, t }))
    .sort((a, b) => a.r - b.r || a.t - b.t)
    .slice(0, count)
    .map(({ r, t }) => scenario(m, t, t, r));
  // A week is 7 rows on 7 consecutive calendar days (a missing day breaks it).
  const weeks: { r: number; t: number }[] = [];
  for (let t = WEEK_DAYS - 1; t < rp.length; t++) {
    if (m.times[t]! - m.times[t - WEEK_DAYS + 1]! === (WEEK_DAYS - 1) * DAY_MS) weeks.push({ r: compound(rp.slice(t - WEEK_DAYS + 1, t + 1)), t });
  }
  weeks.sort((a, b) => a.r - b.r || a.t - b.t);
  const taken: number[] = [];
  const worstWeeks: HistoricalScenario[] = [];
  for (const w of weeks) {
    if (worstWeeks.length === count) break;
    if (taken.some((t) => Math.abs(t - w.t) < WEEK_DAYS)) continue;
    taken.push(w.t);
    worstWeeks.push(scenario(m, w.t - WEEK_DAYS + 1, w.t, w.r));
  }
  return { worstDays, worstWeeks };
};

export interface ShockResult {
  readonly method: typeof SHOCK_METHOD;
  readonly shocks: Readonly<Record<string, number>>;
  /** Every asset's return in the scenario: the shocks, and the others' conditional expectations. */
  readonly assets: Readonly<Record<string, number>>;
  readonly portfolioReturn: number;
  readonly loss: number;
}

/** `shocks` name symbols of the matrix; `weights` are in matrix order (0 for a shocked symbol not held). */
export const shockScenario = (m: ReturnMatrix, weights: readonly number[], shocks: Readonly<Record<string, number>>): ShockResult => {
  const shocked = Object.keys(shocks).map((s) => {
    const i = m.symbols.indexOf(s);
    const x = shocks[s]!;
    if (i < 0) throw new InvalidInputError(`shocks.${s}: not among the symbols of the scenario`);
    if (!(Number.isFinite(x) && x >= -1)) throw new InvalidInputError(`shocks.${s}: expected a return of at least -1 (-0.3 = a 30% fall), got ${x}`);
    return i;
  });
  if (shocked.length === 0) throw new InvalidInputError('shocks: name at least one symbol and its return, like {"BTC-USDT": -0.3}');
  if (m.rows.length < 2) throw new InvalidInputError(`shocks: the window holds ${m.rows.length} days with a return of every symbol; a covariance needs at least 2`);
  const others = m.symbols.map((_, i) => i).filter((i) => !shocked.includes(i));
  const sigma = dailyCovariance(m.rows);
  const s = shocked.map((i) => shocks[m.symbols[i]!]!);
  const x = solveLinear(submatrix(sigma, shocked, shocked), s);
  if (x === undefined) {
    throw new InvalidInputError(`shocks: the shocked symbols' covariance is singular in this window (they move as one, or one never moved): shock fewer of them`);
  }
  const implied = matVec(submatrix(sigma, others, shocked), x);
  const r = new Array<number>(m.symbols.length).fill(0);
  shocked.forEach((i, k) => (r[i] = s[k]!));
  others.forEach((i, k) => (r[i] = implied[k]!));
  const portfolioReturn = r.reduce((sum, ri, i) => sum + weights[i]! * ri, 0);
  return {
    method: SHOCK_METHOD,
    shocks,
    assets: Object.fromEntries(m.symbols.map((sym, i) => [sym, r[i]!])),
    portfolioReturn,
    loss: -portfolioReturn,
  };
};

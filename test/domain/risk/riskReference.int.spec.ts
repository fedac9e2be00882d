/**
 * The embedded engine's risk figures against the definitions written in numpy/scipy
 * (test/support/risk_reference.py): within 1e-9 relative on every coin of the shared daily OHLCV
 * data and on generated series. Needs the stack's Python (numpy, scipy): under CI=true its
 * absence, or the data's, fails.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessRisk, windowStart } from '../../../src/domain/risk/assessment.js';
import { VAR_LEVELS } from '../../../src/domain/risk/definitions.js';
import { simpleReturns, type Close } from '../../../src/domain/risk/returns.js';
import type { RiskFigures } from '../../../src/domain/risk/riskFigures.js';
import { varBacktest, type VarBacktest, type VarMethod } from '../../../src/domain/risk/varBacktest.js';
import { DAY_MS } from '../../../src/domain/time.js';
import { DAILY_OHLCV, dailyFiles, dayNumber, readDailyCloses } from '../../support/dailyOhlcv.js';
import { closeTo, pythonStack, runPythonReference } from '../../support/pythonReference.js';
import { requireSharedData } from '../../support/sharedData.js';

const data = requireSharedData(DAILY_OHLCV);

interface ReferenceAnswer {
  assessments: Array<Omit<RiskFigures, 'var'> & { var: Record<string, Record<string, number | null>> }>;
  backtests: Array<{
    vars: number[];
    exceptions: number;
    kupiec: { statistic: number; pValue: number };
    christoffersenIndependence: { statistic: number; pValue: number };
    conditionalCoverage: { statistic: number; pValue: number };
    baselCumulativeProbability: number;
  }>;
}

const asInput = (closes: readonly Close[]) => ({ days: closes.map((c) => dayNumber(c.time)), closes: closes.map((c) => c.close) });

/** Every figure of `got` beside `want`: the names of those further apart than 1e-9 relative. */
const differences = (label: string, got: RiskFigures, want: ReferenceAnswer['assessments'][number]): string[] => {
  const out: string[] = [];
  const check = (name: string, g: number | null, w: number | null) => {
    if (!closeTo(g, w)) out.push(`${label} ${name}: tickvault ${g}, reference ${w}`);
  };
  if (got.observations !== want.observations) out.push(`${label} observations: ${got.observations} vs ${want.observations}`);
  for (const k of ['meanReturn', 'volatility', 'sharpe', 'sortino', 'maxDrawdown'] as const) check(k, got[k], want[k]);
  for (const level of VAR_LEVELS) {
    for (const k of ['historicalVar', 'historicalCvar', 'parametricVar'] as const) check(`${k}@${level}`, got.var[`${level}`][k], want.var[`${level}`]![k]!);
  }
  return out;
};

const backtestDifferences = (label: string, got: VarBacktest, want: ReferenceAnswer['backtests'][number]): string[] => {
  const out: string[] = [];
  const check = (name: string, g: number | null, w: number | null) => {
    if (!closeTo(g, w)) out.push(`${label} ${name}: tickvault ${g}, reference ${w}`);
  };
  if (got.days.length !== want.vars.length) return [`${label}: ${got.days.length} days vs ${want.vars.length}`];
  got.days.forEach((d, i) => check(`VaR of day ${i}`, d.var, want.vars[i]!));
  if (got.exceptions !== want.exceptions) out.push(`${label} exceptions: ${got.exceptions} vs ${want.exceptions}`);
  for (const k of ['kupiec', 'christoffersenIndependence', 'conditionalCoverage'] as const) {
    check(`${k} statistic`, got[k].statistic, want[k].statistic);
    check(`${k} p-value`, got[k].pValue, want[k].pValue);
  }
  if (got.basel !== null) check('Basel cumulative probability', got.basel.cumulativeProbability, want.baselCumulativeProbability);
  return out;
};

interface AssessmentCase { label: string; closes: Close[]; asOf: number; window: number; riskFree: number }
interface BacktestCase { label: string; closes: Close[]; window: number; level: number; method: VarMethod }

const compare = async (assessments: AssessmentCase[], backtests: BacktestCase[]): Promise<string[]> => {
  const inWindow = (c: AssessmentCase) => c.closes.filter((x) => x.time >= windowStart(c.asOf, c.window) && x.time <= c.asOf);
  const reference = await runPythonReference<ReferenceAnswer>('risk_reference.py', {
    assessments: assessments.map((c) => ({ ...asInput(inWindow(c)), annualisation: 365, riskFree: c.riskFree })),
    backtests: backtests.map((c) => ({ ...asInput(c.closes), window: c.window, level: c.level, method: c.method })),
  });
  return [
    ...assessments.flatMap((c, i) => differences(c.label, assessRisk(c.closes, c.asOf, c.window, '1d', c.riskFree).figures, reference.assessments[i]!)),
    ...backtests.flatMap((c, i) => backtestDifferences(c.label, varBacktest(simpleReturns(c.closes, DAY_MS), c.window, c.level, c.method), reference.backtests[i]!)),
  ];
};

describe.skipIf(pythonStack.skip)('risk figures against the numpy/scipy reference of the definitions', () => {
  it.skipIf(data.skip)('agree within 1e-9 relative on every coin of the shared daily OHLCV data', async () => {
    data.assertAvailable();
    const assessments: AssessmentCase[] = [];
    const backtests: BacktestCase[] = [];
    for (const file of dailyFiles(data.path(DAILY_OHLCV))) {
      const closes = readDailyCloses(file);
      const coin = path.basename(file, '.csv');
      const last = closes[closes.length - 1]!.time;
      for (const window of [365, 90, 30]) {
        for (const back of [0, 200, 700]) {
          const asOf = last - back * DAY_MS;
          if (asOf - window * DAY_MS >= closes[0]!.time) assessments.push({ label: `${coin} ${window}d to -${back}d`, closes, asOf, window, riskFree: back === 200 ? 0.04 : 0 });
        }
      }
      const recent = closes.filter((c) => c.time > last - 620 * DAY_MS);
      // A backtest needs its window full before its first day: coins younger than about 13 months have none.
      if (recent.length < 400) continue;
      for (const level of VAR_LEVELS) {
        for (const method of ['historical', 'parametric'] as const) backtests.push({ label: `${coin} backtest ${method}@${level}`, closes: recent, window: 365, level, method });
      }
    }
    expect(assessments.length).toBeGreaterThan(100);
    expect(await compare(assessments, backtests)).toEqual([]);
  }, 120_000);

  it('agree within 1e-9 relative on generated series (gaps, ties, flat stretches)', async () => {
    const returnArb = fc.oneof(fc.double({ min: -0.6, max: 1.5, noNaN: true }), fc.constantFrom(0, 0.01, -0.01, -0.05));
    const seriesArb = fc.record({
      steps: fc.array(fc.tuple(returnArb, fc.integer({ min: 1, max: 20 })), { minLength: 3, maxLength: 300, size: 'max' }),
      window: fc.integer({ min: 2, max: 320 }),
      riskFree: fc.constantFrom(0, 0.05),
    });
    const samples = fc.sample(seriesArb, { numRuns: 120, seed: 19 });
    const assessments: AssessmentCase[] = [];
    const backtests: BacktestCase[] = [];
    const t0 = Date.UTC(2024, 0, 1);
    samples.forEach(({ steps, window, riskFree }, i) => {
      // One day in twenty is missing: its returns are left out on both sides.
      let time = t0;
      let close = 100;
      const closes: Close[] = [{ time, close }];
      for (const [r, gapDraw] of steps) {
        time += (gapDraw === 20 ? 2 : 1) * DAY_MS;
        close *= 1 + r;
        closes.push({ time, close });
      }
      const enough = closes.filter((c) => c.time >= windowStart(time, window)).length >= 3;
      if (enough) assessments.push({ label: `sample ${i}`, closes, asOf: time, window, riskFree });
      const btWindow = Math.max(2, Math.min(window, Math.floor(steps.length / 2)));
      if (steps.length >= 20) backtests.push({ label: `sample ${i} backtest`, closes, window: btWindow, level: VAR_LEVELS[i % 2]!, method: i % 3 === 0 ? 'parametric' : 'historical' });
    });
    expect(assessments.length).toBeGreaterThan(50);
    expect(backtests.length).toBeGreaterThan(20);
    expect(await compare(assessments, backtests)).toEqual([]);
  }, 120_000);
});

/**
 * The autocorrelation of returns against numpy (test/support/acf_reference.py: statsmodels'
 * `acf(x, adjusted=False)` estimator through numpy.correlate) within 1e-12 relative, on generated
 * series, including short ones (lags past the length are null) and a constant one (null).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autocorrelation } from '../../../src/domain/features/autocorrelation.js';
import { ACF_MAX_LAG } from '../../../src/domain/features/definitions.js';
import { closeTo, pythonStack, runPythonReference } from '../../support/pythonReference.js';

describe.skipIf(pythonStack.skip)('autocorrelation of returns', () => {
  it('is the numpy estimator at lags 1..30', async () => {
    const series = fc.sample(fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: 0, maxLength: 400, size: 'max' }), { numRuns: 60, seed: 18 });
    series.push([0.01, 0.01, 0.01, 0.01], [0.05, -0.02]);
    const { acf } = await runPythonReference<{ acf: Array<Array<number | null>> }>('acf_reference.py', { series, maxLag: ACF_MAX_LAG });
    let compared = 0;
    series.forEach((xs, i) => {
      const got = autocorrelation(xs, ACF_MAX_LAG);
      expect(got.map((p) => p.lag)).toEqual(Array.from({ length: ACF_MAX_LAG }, (_, k) => k + 1));
      got.forEach((p, k) => {
        expect(closeTo(p.value, acf[i]![k]!, 1e-12), `series ${i} lag ${p.lag}: ${p.value} vs ${acf[i]![k]}`).toBe(true);
        if (p.value !== null) compared++;
      });
    });
    expect(compared).toBeGreaterThan(1_000);
    expect(autocorrelation([0.01, 0.01, 0.01, 0.01], 3).map((p) => p.value)).toEqual([null, null, null]);
  });
});

/**
 * No feature at bar t uses anything after t: compute the features of a series, then replace every
 * bar after t (values changed, bars added and removed), the market's bars after t, and every
 * market-cap and sentiment fact recorded after bar t's end; the features of every bar up to t
 * stay exactly as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFeatures, type FeatureInput } from '../../../src/domain/features/computeFeatures.js';
import { HOUR, START, barsArb, featureInputArb, marketCapsArb, sentimentArb } from './featureArbitraries.js';

const HOURS = 80;

/** The input with everything after bar `cut`'s end replaced by `later`'s. */
const splice = (a: FeatureInput, later: FeatureInput, cut: number): FeatureInput => {
  const end = cut + HOUR - 1;
  return {
    interval: a.interval,
    bars: [...a.bars.filter((b) => b.time <= cut), ...later.bars.filter((b) => b.time > cut)],
    market: [...a.market.filter((b) => b.time <= cut), ...later.market.filter((b) => b.time > cut)],
    marketCaps: [...a.marketCaps.filter((f) => f.eventTime <= end), ...later.marketCaps.filter((f) => f.eventTime > end)],
    sentiment: [...a.sentiment.filter((f) => f.eventTime <= end), ...later.sentiment.filter((f) => f.eventTime > end)],
  };
};

describe('features never look ahead', () => {
  it('features at or before t are unchanged when everything after t is replaced', () => {
    fc.assert(
      fc.property(featureInputArb(HOURS), featureInputArb(HOURS), fc.integer({ min: 0, max: HOURS - 1 }), (input, other, k) => {
        const cut = START + k * HOUR;
        const before = computeFeatures(input).filter((r) => r.time <= cut);
        const after = computeFeatures(splice(input, other, cut)).filter((r) => r.time <= cut);
        expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('and the test is not vacuous: changing bar t itself changes its features', () => {
    fc.assert(
      fc.property(barsArb(40), barsArb(40), marketCapsArb(40), sentimentArb(40), (bars, market, marketCaps, sentiment) => {
        fc.pre(bars.length > 30);
        const last = bars[bars.length - 1]!;
        const input: FeatureInput = { interval: '1h', bars, market, marketCaps, sentiment };
        const moved: FeatureInput = { ...input, bars: [...bars.slice(0, -1), { ...last, close: last.close * 1.5 }] };
        const a = computeFeatures(input).at(-1)!;
        const b = computeFeatures(moved).at(-1)!;
        expect(b.close).not.toBe(a.close);
        expect(b.logReturn1 === null || b.logReturn1 !== a.logReturn1).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

/** Arbitrary bar series for the feature tests: 1h bars with gaps, market closes and market facts. */
import fc from 'fast-check';
import type { FeatureBar, FeatureInput, MarketCapFact, SentimentFact } from '../../../src/domain/features/computeFeatures.js';

export const HOUR = 3_600_000;
export const START = Date.UTC(2024, 0, 1, 18);

const priceArb = fc.double({ min: 1, max: 1e5, noNaN: true });
const volumeArb = fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.constant(0));

const barArb = (time: number): fc.Arbitrary<FeatureBar> =>
  fc.record({ close: priceArb, volume: volumeArb, takerBuyVolume: volumeArb, takerSellVolume: volumeArb, trades: fc.nat(1_000) }).map((b) => ({ time, ...b }));

/** Bars at START + i·hour for the hours present (a few missing, so gaps are exercised). */
export const barsArb = (hours: number): fc.Arbitrary<FeatureBar[]> =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: hours, maxLength: hours }).chain((present) =>
    fc.tuple(...present.flatMap((p, i) => (p < 0.95 ? [barArb(START + i * HOUR)] : []))),
  );

const factTimeArb = (hours: number) => fc.integer({ min: START - HOUR, max: START + hours * HOUR });

export const marketCapsArb = (hours: number): fc.Arbitrary<MarketCapFact[]> =>
  fc.array(
    fc.record({ eventTime: factTimeArb(hours), position: fc.nat(1e6), marketCapUsd: fc.double({ min: 1, max: 1e12, noNaN: true }), rank: fc.option(fc.integer({ min: 1, max: 5000 })) }),
    { maxLength: 30 },
  );

export const sentimentArb = (hours: number): fc.Arbitrary<SentimentFact[]> =>
  fc.array(fc.record({ eventTime: factTimeArb(hours), position: fc.nat(1e6), score: fc.double({ min: -1, max: 1, noNaN: true }) }), { maxLength: 30 });

export const featureInputArb = (hours: number): fc.Arbitrary<FeatureInput> =>
  fc.record({ bars: barsArb(hours), market: barsArb(hours), marketCaps: marketCapsArb(hours), sentiment: sentimentArb(hours) }).map((i) => ({ interval: '1h' as const, ...i }));

/**
 * The robust-z anomaly score reads the past only (a bar's score does not change when later bars
 * change or are cut), the live path (scoreLatest on the model's window) answers what the batch path
 * does, and an isolated jump in price or volume is what it flags.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreBars, scoreLatest, type AnomalyBar, type RobustZJson } from '../../../src/domain/models/anomaly/robustZ.js';

const MINUTE = 60_000;
const model: RobustZJson = { type: 'robust-z', window: 12, minHistory: 5, threshold: 6, intervalMs: MINUTE, components: ['logReturn', 'logVolume', 'flowImbalance'] };

const barsArb = fc
  .array(fc.record({ step: fc.integer({ min: 1, max: 2 }), r: fc.double({ min: -0.01, max: 0.01, noNaN: true }), volume: fc.double({ min: 0, max: 100, noNaN: true }), buyShare: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 2, maxLength: 80 })
  .map((steps) => {
    let time = 0;
    let close = 100;
    return steps.map((s): AnomalyBar => {
      time += s.step * MINUTE;
      close *= Math.exp(s.r);
      return { time, close, volume: s.volume, takerBuyVolume: s.volume * s.buyShare, takerSellVolume: s.volume * (1 - s.buyShare) };
    });
  });

describe('robust-z anomaly score', () => {
  it('scores a bar from the bars before it only', () => {
    fc.assert(
      fc.property(barsArb, fc.nat(), barsArb, (bars, cutAt, other) => {
        const cut = (cutAt % bars.length) + 1;
        const later = other.map((b) => ({ ...b, time: b.time + bars[bars.length - 1]!.time }));
        const full = scoreBars(model, [...bars.slice(0, cut), ...later]);
        expect(full.slice(0, cut)).toEqual(scoreBars(model, bars.slice(0, cut)));
      }),
    );
  });

  it('answers for the newest bar from its window what it answers over the whole series', () => {
    fc.assert(
      fc.property(barsArb, (bars) => {
        expect(scoreLatest(model, bars)).toEqual(scoreBars(model, bars).at(-1));
      }),
    );
  });

  it('flags a bar whose price drops 5% after quiet bars, and not the quiet bars', () => {
    const quiet: AnomalyBar[] = Array.from({ length: 30 }, (_, i) => ({ time: i * MINUTE, close: 100 * (1 + 0.001 * Math.sin(i)), volume: 10 + (i % 3), takerBuyVolume: 5 + (i % 2), takerSellVolume: 5 + (i % 3) - (i % 2) }));
    const crash = { ...quiet[29]!, time: 30 * MINUTE, close: quiet[29]!.close * 0.95 };
    const scores = scoreBars(model, [...quiet, crash]);
    expect(scores.slice(0, 30).some((s) => s.anomalous)).toBe(false);
    expect(scores[30]!.anomalous).toBe(true);
    expect(scores[30]!.z.logReturn!).toBeLessThan(-model.threshold);
  });
});

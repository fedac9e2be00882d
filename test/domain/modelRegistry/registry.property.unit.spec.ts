/**
 * The registry fold, scoring and the track record: folding the same events again changes nothing
 * (a refresh that reads an event twice), an alias names the version it was last set to, a score
 * is the log return against the kept close, and the track record's figures are the plain means
 * of the scores, cumulative through each day.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PredictionMadeData, PredictionScoredData } from '../../../src/domain/events/models.js';
import { applyRegistryFact, emptyRegistry, resolveVersion, type RegistryFact } from '../../../src/domain/modelRegistry/registry.js';
import { scorePrediction, trendLabelOf } from '../../../src/domain/modelRegistry/scoring.js';
import { trackRecord } from '../../../src/domain/modelRegistry/trackRecord.js';
import { T0 } from '../../support/arbitraries.js';

const HASH = 'a'.repeat(64);
const HOUR = 3_600_000;
const finite = fc.double({ min: -0.2, max: 0.2, noNaN: true });

const made = (i: number, point: number, over: Partial<PredictionMadeData> = {}): PredictionMadeData => ({
  predictionId: `p${i}`,
  modelId: 'BTC-USDT.return.1h',
  version: 1,
  modelHash: HASH,
  symbol: 'BTC-USDT',
  interval: '1h',
  horizonBars: 1,
  madeAt: T0 + i * HOUR,
  barTime: T0 + i * HOUR - HOUR,
  baseClose: 100,
  targetTime: T0 + (i + 1) * HOUR,
  featuresHash: HASH,
  output: { kind: 'return-regression', point, intervals: [{ level: 0.8, lower: point - 0.01, upper: point + 0.01 }] },
  naive: { point: 0 },
  ...over,
});

const trainedFact = (position: number, version: number): RegistryFact => ({
  type: 'ModelTrained',
  position,
  meta: { recordedAt: T0 + position, actor: 'a' },
  data: { modelId: 'BTC-USDT.return.1h', version, symbol: 'BTC-USDT', kind: 'return-regression', interval: '1h', horizonBars: 1 },
});

describe('registry fold', () => {
  it('is idempotent by position and resolves an alias to its last setting', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }), { maxLength: 10 }), (settings) => {
        const facts: RegistryFact[] = [trainedFact(1, 1), trainedFact(2, 2), trainedFact(3, 3)];
        settings.forEach((version, i) => facts.push({ type: 'ModelAliasSet', position: 4 + i, meta: { recordedAt: T0, actor: 'r' }, data: { modelId: 'BTC-USDT.return.1h', alias: 'champion', version, reason: '' } }));
        const once = emptyRegistry();
        facts.forEach((f) => applyRegistryFact(once, f));
        const twice = emptyRegistry();
        [...facts, ...facts].forEach((f) => applyRegistryFact(twice, f));
        expect(twice).toEqual(once);
        const model = once.models.get('BTC-USDT.return.1h')!;
        const last = settings.length === 0 ? undefined : settings[settings.length - 1];
        expect(resolveVersion(model, { alias: 'champion' })?.trained.version).toBe(last ?? undefined);
        expect(model.aliasHistory).toHaveLength(settings.length);
      }),
    );
  });
});

describe('scoring', () => {
  it('scores the log return from the kept close against the point, the naive zero and the intervals', () => {
    fc.assert(
      fc.property(finite, fc.double({ min: 50, max: 200, noNaN: true }), (point, close) => {
        const s = scorePrediction(made(1, point), close);
        const y = Math.log(close / 100);
        expect(s.realised).toBe(y);
        if (s.outcome.kind !== 'return-regression') throw new Error('regression expected');
        expect(s.outcome.error).toBe(y - point);
        expect(s.outcome.naiveError).toBe(y);
        expect(s.outcome.directionHit).toBe(Math.sign(y) === Math.sign(point) && y !== 0 && point !== 0);
        expect(s.outcome.covered).toEqual([{ level: 0.8, inside: y >= point - 0.01 && y <= point + 0.01 }]);
      }),
    );
  });
  it('classifies the realised return with the prediction\'s own threshold', () => {
    const p = made(1, 0, { output: { kind: 'trend-classification', label: 'up', probabilities: { down: 0.2, sideways: 0.3, up: 0.5 }, threshold: 0.01 }, naive: { label: 'sideways' } });
    expect(scorePrediction(p, 102).outcome).toEqual({ kind: 'trend-classification', realisedLabel: 'up', correct: true, naiveCorrect: false });
    expect(scorePrediction(p, 100.5).outcome).toEqual({ kind: 'trend-classification', realisedLabel: 'sideways', correct: false, naiveCorrect: true });
    expect([trendLabelOf(0.02, 0.01), trendLabelOf(-0.02, 0.01), trendLabelOf(0.01, 0.01)]).toEqual(['up', 'down', 'sideways']);
  });
});

describe('track record', () => {
  const scoresArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 24 * 10 }), finite, fc.double({ min: 90, max: 110, noNaN: true })), { minLength: 1, maxLength: 60 });
  it('is the mean error beside the naive mean error, per day and cumulatively', () => {
    fc.assert(
      fc.property(scoresArb, (items) => {
        const scores: PredictionScoredData[] = items.map(([hour, point, close]) => scorePrediction(made(hour, point), close));
        const { periods, overall } = trackRecord(scores);
        expect(periods.reduce((a, p) => a + p.scored, 0)).toBe(scores.length);
        const err = scores.reduce((a, s) => a + Math.abs(s.outcome.kind === 'return-regression' ? s.outcome.error : 0), 0) / scores.length;
        const naive = scores.reduce((a, s) => a + Math.abs(s.realised), 0) / scores.length;
        expect(overall!.error).toBeCloseTo(err, 12);
        expect(overall!.naiveError).toBeCloseTo(naive, 12);
        expect(overall!.skill).toBe(naive === 0 ? null : 1 - overall!.error / overall!.naiveError);
        expect(periods[periods.length - 1]!.cumulative).toEqual(Object.fromEntries(Object.entries(overall!).filter(([k]) => k !== 'scored')));
        expect(periods.map((p) => p.day)).toEqual([...new Set(periods.map((p) => p.day))].sort());
      }),
    );
  });
});

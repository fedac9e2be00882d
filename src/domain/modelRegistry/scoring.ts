/**
 * Scoring a prediction once its horizon has passed: the realised log return from the bar the
 * forecast was made at (its close, kept in the prediction) to the target bar's close, against the
 * prediction and against the naive forecast fixed when it was made.
 */
import type { PredictionMadeData, PredictionScoredData, TrendLabel } from '../events/models.js';

/** up above +θ, down below −θ, else sideways (docs/models.md). */
export const trendLabelOf = (logReturn: number, threshold: number): TrendLabel => (logReturn > threshold ? 'up' : logReturn < -threshold ? 'down' : 'sideways');

/** sign(ŷ) = sign(y), zero counting as a miss unless both are zero. */
const sameDirection = (predicted: number, realised: number): boolean =>
  (predicted === 0 && realised === 0) || (predicted !== 0 && realised !== 0 && Math.sign(predicted) === Math.sign(realised));

export const scorePrediction = (made: PredictionMadeData, realisedClose: number): PredictionScoredData => {
  if (!(realisedClose > 0) || !(made.baseClose > 0)) {
    throw new RangeError(`prediction ${made.predictionId}: closes must be positive to take a log return (base ${made.baseClose}, realised ${realisedClose})`);
  }
  const realised = Math.log(realisedClose / made.baseClose);
  const base = { predictionId: made.predictionId, modelId: made.modelId, version: made.version, symbol: made.symbol, targetTime: made.targetTime, realisedClose, realised };
  const out = made.output;
  if (out.kind === 'return-regression') {
    const naivePoint = 'point' in made.naive ? made.naive.point : 0;
    return {
      ...base,
      outcome: {
        kind: 'return-regression',
        error: realised - out.point,
        naiveError: realised - naivePoint,
        directionHit: sameDirection(out.point, realised),
        covered: out.intervals.map((i) => ({ level: i.level, inside: realised >= i.lower && realised <= i.upper })),
      },
    };
  }
  const realisedLabel = trendLabelOf(realised, out.threshold);
  const naiveLabel = 'label' in made.naive ? made.naive.label : 'sideways';
  return { ...base, outcome: { kind: 'trend-classification', realisedLabel, correct: out.label === realisedLabel, naiveCorrect: naiveLabel === realisedLabel } };
};

/** The model commands as given / when / then: a training's version, aliases, a prediction from the registered trees, a score once. */
import { describe, expect, it } from 'vitest';
import { makePredictionDecider, scheduledPredictionKey } from '../../src/commands/makePrediction.js';
import { modelTrainingKey, recordModelTrainingDecider } from '../../src/commands/recordModelTraining.js';
import { predictionScoreKey, recordPredictionScoreDecider } from '../../src/commands/recordPredictionScore.js';
import { setModelAliasDecider } from '../../src/commands/setModelAlias.js';
import { CommandRejectedError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import type { PredictionMadeData } from '../../src/domain/events/models.js';
import { featuresHashOf } from '../../src/domain/modelRegistry/predict.js';
import { scorePrediction } from '../../src/domain/modelRegistry/scoring.js';
import { predictWithModel, type ModelJson } from '../../src/domain/models/index.js';
import { T0 } from '../support/arbitraries.js';
import { command, deciderSpec } from '../support/decider.js';
import { syntheticRows } from '../support/modelRows.js';
import { trainedFixture } from '../support/modelTrained.js';

const rows = syntheticRows(400, 3);
const regression = trainedFixture('return-regression', 1, rows);
const classification = trainedFixture('trend-classification', 1, rows);
const { version: _v, ...training } = regression;
const trained = (version: number) => ({ type: 'ModelTrained' as const, data: { ...regression, version } });
const alias = (name: string, version: number | null) => ({ type: 'ModelAliasSet' as const, data: { modelId: regression.modelId, alias: name, version, reason: '' } });

describe('RecordModelTraining', () => {
  const spec = deciderSpec(recordModelTrainingDecider);
  it('records the first training as version 1 and the next as version 2, once per training id', () => {
    spec.given([]).when(command({ ...training, trainingId: 't1' })).then((events) => {
      expect(events).toMatchObject([{ type: 'ModelTrained', stream: `models/${regression.modelId}`, data: { version: 1, modelHash: regression.modelHash }, dedupKey: modelTrainingKey('t1') }]);
    });
    spec.given([trained(1)]).when(command({ ...training, trainingId: 't2' })).then((events) => expect(events[0]!.data).toMatchObject({ version: 2 }));
  });
});

describe('SetModelAlias', () => {
  const spec = deciderSpec(setModelAliasDecider);
  it('points an alias at a trained version, and does nothing when it already points there', () => {
    spec.given([trained(1), trained(2)]).when(command({ modelId: regression.modelId, alias: 'champion', version: 2, reason: 'better skill' })).then([
      { id: 'id-1', type: 'ModelAliasSet', schemaVersion: 1, stream: `models/${regression.modelId}`, data: { modelId: regression.modelId, alias: 'champion', version: 2, reason: 'better skill' }, meta: expect.anything() },
    ] as never);
    spec.given([trained(1), trained(2), alias('champion', 2)]).when(command({ modelId: regression.modelId, alias: 'champion', version: 2 })).thenNothingHappened();
  });
  it('refuses a model or version that does not exist, a removal of no alias, and a malformed alias', () => {
    spec.given([]).when(command({ modelId: regression.modelId, alias: 'champion', version: 1 })).thenThrows(NotFoundError, /train it first/);
    spec.given([trained(1)]).when(command({ modelId: regression.modelId, alias: 'champion', version: 3 })).thenThrows(NotFoundError, /versions 1-1; there is no version 3/);
    spec.given([trained(1)]).when(command({ modelId: regression.modelId, alias: 'challenger', version: null })).thenThrows(CommandRejectedError, /no alias challenger/);
    spec.given([trained(1)]).when(command({ modelId: regression.modelId, alias: 'Champion!', version: 1 })).thenThrows(InvalidInputError, /alias/);
  });
  it('removes an alias with version null', () => {
    spec.given([trained(1), alias('challenger', 1)]).when(command({ modelId: regression.modelId, alias: 'challenger', version: null })).then((events) => expect(events[0]!.data).toMatchObject({ version: null }));
  });
});

describe('MakePrediction', () => {
  const spec = deciderSpec(makePredictionDecider);
  const row = rows[rows.length - 1]!;
  const pastClose = rows[rows.length - 2]!.close;

  it('serves the registered trees: the point and intervals the model gives for the row, the naive zero beside it', () => {
    const expected = predictWithModel({ spec: { features: regression.features }, model: regression.model as ModelJson, intervals: regression.intervals }, row);
    spec.given([]).when(command({ model: regression, row, pastClose, scheduled: false })).then((events) => {
      const d = events[0]!.data as PredictionMadeData;
      expect(events[0]).toMatchObject({ type: 'PredictionMade', stream: 'predictions/BTC-USDT' });
      expect(events[0]).not.toHaveProperty('dedupKey');
      expect(expected.kind).toBe('regression');
      if (expected.kind !== 'regression') return;
      expect(d).toMatchObject({ modelId: regression.modelId, version: 1, modelHash: regression.modelHash, madeAt: T0, barTime: row.time, baseClose: row.close, targetTime: row.time + 2 * 3_600_000, naive: { point: 0 } });
      expect(d.output).toEqual({ kind: 'return-regression', point: expected.point, intervals: expected.intervals });
      expect(d.featuresHash).toBe(featuresHashOf(row, regression.features));
    });
  });

  it('gives a scheduled prediction a dedup key per model version and bar', () => {
    spec.given([]).when(command({ model: regression, row, pastClose, scheduled: true })).then((events) => expect(events[0]).toMatchObject({ dedupKey: scheduledPredictionKey(regression.modelId, 1, row.time) }));
  });

  it('classifies with probabilities and the persistence forecast, which needs the bar a horizon back', () => {
    spec.given([]).when(command({ model: classification, row, pastClose, scheduled: false })).then((events) => {
      const d = events[0]!.data as PredictionMadeData;
      if (d.output.kind !== 'trend-classification') throw new Error('expected a classification');
      const p = d.output.probabilities;
      expect(p.down + p.sideways + p.up).toBeCloseTo(1, 12);
      const r = Math.log(row.close / pastClose);
      expect(d.naive).toEqual({ label: r > 0.002 ? 'up' : r < -0.002 ? 'down' : 'sideways' });
    });
    spec.given([]).when(command({ model: classification, row, pastClose: null, scheduled: false })).thenThrows(InvalidInputError, /persistence forecast/);
  });

  it('refuses a row without a feature the model needs, naming it', () => {
    spec.given([]).when(command({ model: regression, row: { ...row, rsi14: null }, pastClose, scheduled: false })).thenThrows(InvalidInputError, /rsi14/);
  });
});

describe('RecordPredictionScore', () => {
  it('appends the score once per prediction', () => {
    const made = deciderSpec(makePredictionDecider).given([]).when(command({ model: regression, row: rows[rows.length - 1]!, pastClose: null, scheduled: false })).then(() => undefined)[0]!.data as PredictionMadeData;
    const score = scorePrediction(made, made.baseClose * 1.01);
    deciderSpec(recordPredictionScoreDecider).given([]).when(command(score)).then((events) => expect(events).toMatchObject([{ type: 'PredictionScored', stream: 'predictions/BTC-USDT', dedupKey: predictionScoreKey(made.predictionId), data: score }]));
  });
});

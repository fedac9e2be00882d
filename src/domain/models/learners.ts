/** The learner behind each supervised algorithm of a spec. */
import { InvalidInputError } from '../errors.js';
import { fitGbt, gbtParams } from './gbt.js';
import type { Learner } from './learner.js';
import { fitForest, forestParams } from './randomForest.js';
import { argmax, forestProbabilities, predictGbt, type ForestJson, type GbtJson } from './treeJson.js';
import { TREND_CLASSES } from './trend.js';
import type { ModelSpec } from './spec.js';

export const gbtLearner: Learner<GbtJson> = {
  task: 'regression',
  fit: (x, p, y, point, seed) => fitGbt(x, p, y, gbtParams(point), seed),
  predict: predictGbt,
};

export const forestLearner: Learner<ForestJson> = {
  task: 'classification',
  fit: (x, p, y, point, seed) => fitForest(x, p, y, TREND_CLASSES.length, forestParams(point), seed),
  predict: (model, x, offset) => argmax(forestProbabilities(model, x, offset)),
};

export const learnerFor = (spec: ModelSpec): Learner<GbtJson> | Learner<ForestJson> => {
  if (spec.algorithm === 'gbt') return gbtLearner;
  if (spec.algorithm === 'random-forest') return forestLearner;
  throw new InvalidInputError(`model spec: no supervised learner for algorithm "${spec.algorithm}"`);
};

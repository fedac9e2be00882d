/** The learner behind each supervised algorithm of a spec. */
import { InvalidInputError } from '../errors.js';
import { fitGbt, gbtParams } from './gbt.js';
import type { Learner } from './learner.js';
import { predictGbt, type ForestJson, type GbtJson } from './treeJson.js';
import type { ModelSpec } from './spec.js';

export const gbtLearner: Learner<GbtJson> = {
  task: 'regression',
  fit: (x, p, y, point, seed) => fitGbt(x, p, y, gbtParams(point), seed),
  predict: predictGbt,
};

export const learnerFor = (spec: ModelSpec): Learner<GbtJson> | Learner<ForestJson> => {
  if (spec.algorithm === 'gbt') return gbtLearner;
  throw new InvalidInputError(`model spec: no supervised learner for algorithm "${spec.algorithm}"`);
};

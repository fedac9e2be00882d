/** A serialised model of any kind: what is hashed, stored with ModelTrained and served by the predictor. */
import type { RobustZJson } from './anomaly/robustZ.js';
import type { ForestJson, GbtJson } from './treeJson.js';

export type ModelJson = GbtJson | ForestJson | RobustZJson;

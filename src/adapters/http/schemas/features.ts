/** Answers of the feature-store routes (read-models/features.ts, featureProfiles.ts; docs/features.md defines every feature). */
import { arrayOf, epochMs, integer, isoInstant, object, string, symbol, type Schema } from './common.js';
import { provenance } from './risk.js';

const featureInterval = { type: 'string', enum: ['1h', '1d'] } as const;
const range = (fields: Record<string, unknown>): Schema =>
  object({ symbol, interval: featureInterval, from: epochMs, to: epochMs, fromIso: isoInstant, toIso: isoInstant, ...provenance, ...fields });

export const featuresAnswer = range({
  definitionVersion: integer,
  rows: arrayOf({ type: 'object', required: ['time'], properties: { time: epochMs }, description: 'one bar: its time and every feature of docs/features.md (null where its lookback is not there)' }),
});

export const autocorrelationAnswer = range({
  estimator: string,
  observations: integer,
  acf: arrayOf({ type: 'object', description: 'one lag: its autocorrelation and confidence band' }),
});

export const seasonalityAnswer = range({ cells: arrayOf({ type: 'object', description: 'one weekday x hour cell of the mean 1h log return' }) });


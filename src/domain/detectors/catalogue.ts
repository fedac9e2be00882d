/**
 * The detectors a rule can name, each with its params, and the identity of an alert: derived
 * from the rule, what the episode is about and when it began, so a rebuild from the ledger gives
 * the same ids and a restarted engine's second raise of an episode is a duplicate the ledger drops.
 */
import { arbitrageAlertParams } from '../orderbook/signals/arbitrageAlert.js';
import { spoofingParams } from '../orderbook/signals/spoofing.js';
import { describeValue } from '../validation.js';
import { anomalyModelParams, createAnomalyModelDetector } from './anomalyModel.js';
import type { Detector, DetectorContext } from './detector.js';
import { createDivergenceDetector, divergenceParams } from './divergence.js';
import { createFlashMoveDetector, flashMoveParams } from './flashMove.js';
import { readParams, readRecordedParams, type ParamSpec, type ParamValues } from './params.js';
import { createPriceLevelDetector, priceLevelParams } from './priceLevel.js';
import { createStaleFeedDetector, staleFeedParams } from './staleFeed.js';
import { createVolumeSpikeDetector, volumeSpikeParams } from './volumeSpike.js';

interface DetectorEntry<S extends ParamSpec> {
  readonly params: S;
  readonly create: (p: ParamValues<S>, context: DetectorContext) => Detector;
}

const entry = <S extends ParamSpec>(params: S, create: (p: ParamValues<S>, context: DetectorContext) => Detector): DetectorEntry<ParamSpec> =>
  ({ params, create }) as unknown as DetectorEntry<ParamSpec>;

const detectors: Readonly<Record<string, DetectorEntry<ParamSpec>>> = {
  'flash-move': entry(flashMoveParams, createFlashMoveDetector),
  'volume-spike': entry(volumeSpikeParams, createVolumeSpikeDetector),
  divergence: entry(divergenceParams, createDivergenceDetector),
  'stale-feed': entry(staleFeedParams, createStaleFeedDetector),
  'price-level': entry(priceLevelParams, createPriceLevelDetector),
  'anomaly-model': entry(anomalyModelParams, createAnomalyModelDetector),
};

/**
 * Detectors over order books: registered, checked and retired like the others, but run by the book
 * signals (app/bookSignals.ts) over the archive's book rows, not by the alert engine, whose fold
 * sees only the ledger's trades (book rows are not in the ledger).
 */
const bookDetectors: Readonly<Record<string, ParamSpec>> = { spoofing: spoofingParams, 'book-arbitrage': arbitrageAlertParams };

export const isBookDetector = (detector: string): boolean => Object.hasOwn(bookDetectors, detector);

export const detectorNames = (): string[] => [...Object.keys(detectors), ...Object.keys(bookDetectors)];

/** The params a detector, of trades or of books, declares; undefined for no such detector. */
export const paramsOf = (detector: string): ParamSpec | undefined =>
  Object.hasOwn(detectors, detector) ? detectors[detector]!.params : Object.hasOwn(bookDetectors, detector) ? bookDetectors[detector] : undefined;

type CheckedParams = { ok: true; value: Record<string, number> } | { ok: false; reason: string };
type Reader = (detector: string, spec: ParamSpec, raw: Readonly<Record<string, unknown>>) => CheckedParams;

const checkWith = (read: Reader, detector: string, params: Readonly<Record<string, unknown>>): CheckedParams => {
  const spec = paramsOf(detector);
  if (spec === undefined) return { ok: false, reason: `detector: unknown ${describeValue(detector)} (known: ${detectorNames().join(', ')})` };
  return read(detector, spec, params);
};

/** Checks a new rule's detector and params against today's ranges; the reason names the first thing wrong. */
export const checkDetectorParams = (detector: string, params: Readonly<Record<string, unknown>>): CheckedParams => checkWith(readParams, detector, params);

/** Checks a recorded rule's detector and params as they were recorded (params.ts says why ranges are not re-checked). */
export const checkRecordedDetectorParams = (detector: string, params: Readonly<Record<string, unknown>>): CheckedParams =>
  checkWith(readRecordedParams, detector, params);

/** A recorded rule's params, with its defaults filled in (checked at its registration). */
export const recordedParams = (detector: string, params: Readonly<Record<string, unknown>>): Record<string, number> => {
  const checked = checkRecordedDetectorParams(detector, params);
  if (!checked.ok) throw new Error(`rule with invalid params reached the engine: ${checked.reason}`);
  return checked.value;
};

/** A trade detector for a rule the ledger holds (book detectors are not: isBookDetector). */
export const createDetector = (detector: string, params: Readonly<Record<string, unknown>>, context: DetectorContext): Detector =>
  detectors[detector]!.create(recordedParams(detector, params), context);

/** `ruleId.key.episodeStart`; keys are `exchange:SYMBOL` or `SYMBOL`, so the id needs no escaping in a URL path. */
export const alertIdOf = (ruleId: string, key: string, episodeStart: number): string => `${ruleId}.${key}.${episodeStart}`;

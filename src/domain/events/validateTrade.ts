/**
 * Trade validation at ingest rate. TradeData's codec is refinements and a keyof only, so its
 * `is` accepts exactly what its `decode` accepts, and `decode` hands a valid trade back as the
 * same object: asking `is` first gives the same answer without the Either, the context arrays
 * and the result objects `decode` allocates per field. A trade `is` refuses goes to `decode`,
 * which alone words the reason (test/domain/events/validateTrade.property.unit.spec.ts holds the
 * two paths equal on every input).
 */
import type { Validated } from '../validation.js';
import { validateEventData } from './catalogue.js';
import { TradeData } from './market.js';

/** validateEventData('TradeObserved', u), without the codec's allocations for a valid trade. */
export const validateTrade = (u: unknown): Validated<TradeData> =>
  TradeData.is(u) ? { ok: true, value: u } : validateEventData('TradeObserved', u);

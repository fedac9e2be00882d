/** Corrections and the batch recomputes they cause. History is never edited: these are appended. */
import * as t from 'io-ts';
import {
  EventTime,
  ExchangeIdCodec,
  MarketSymbolCodec,
  NonEmptyString,
  NonNegativeInt,
  PositiveDecimalString,
  Sha256Hex,
} from '../validation.js';

export const TradeRef = t.type({ exchange: ExchangeIdCodec, symbol: MarketSymbolCodec, tradeId: NonEmptyString });
export type TradeRef = t.TypeOf<typeof TradeRef>;

export const TradeReplacement = t.type({
  price: PositiveDecimalString,
  quantity: PositiveDecimalString,
  side: t.keyof({ buy: null, sell: null }),
  eventTime: EventTime,
});
export type TradeReplacement = t.TypeOf<typeof TradeReplacement>;

export const CorrectionIssuedData = t.union([
  t.type({ correctionId: NonEmptyString, action: t.literal('void'), target: TradeRef, reason: NonEmptyString }),
  t.type({
    correctionId: NonEmptyString,
    action: t.literal('replace'),
    target: TradeRef,
    replacement: TradeReplacement,
    reason: NonEmptyString,
  }),
]);
export type CorrectionIssuedData = t.TypeOf<typeof CorrectionIssuedData>;

const Day = t.string;

export const RecomputeRequestedData = t.type({
  requestId: NonEmptyString,
  symbol: MarketSymbolCodec,
  fromDay: Day,
  toDay: Day,
  reason: NonEmptyString,
});
export type RecomputeRequestedData = t.TypeOf<typeof RecomputeRequestedData>;

export const RecomputeCompletedData = t.type({
  requestId: NonEmptyString,
  symbol: MarketSymbolCodec,
  fromDay: Day,
  toDay: Day,
  view: NonEmptyString,
  version: NonNegativeInt,
  engine: NonEmptyString,
});
export type RecomputeCompletedData = t.TypeOf<typeof RecomputeCompletedData>;

/** SHA-256 in lower-case hex. */

export const BatchViewPublishedData = t.intersection([
  t.type({
    view: NonEmptyString,
    version: NonNegativeInt,
    /** Symbols whose rows changed in this version (for an analytics view: the symbols it covers). */
    symbols: t.array(MarketSymbolCodec),
    /** Ledger position the view is complete through. */
    throughPosition: NonNegativeInt,
    engine: NonEmptyString,
  }),
  // Analytics views (a correlation matrix, a network) are published whole, not as rows: the
  // SHA-256 of the view's canonical JSON and the UTC day it is as of. Optional, so the OHLCV
  // view's events, which name changed rows, stay as they were recorded.
  t.partial({ asOf: Day, contentHash: Sha256Hex }),
]);
export type BatchViewPublishedData = t.TypeOf<typeof BatchViewPublishedData>;

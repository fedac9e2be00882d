/**
 * The query side as the platform exposes it: the read models bound to the stores, with the
 * answer caches. OHLCV and realtime answers are cached only in a process whose own live
 * projection runs (`committed`): its content version tells when the live store changed (events
 * that change no series, such as predictions, leave the cached answers standing). Without one
 * (one-shot CLI commands, where another process may be writing) every query reads the stores.
 */
import type { FeatureRow } from '../domain/features/featureRow.js';
import type { CandleView } from '../domain/folds/candle.js';
import { OHLCV_VIEW } from '../domain/names.js';
import type { SpeedPolicy } from '../domain/folds/series.js';
import type { BatchStore, Ledger, LiveStore } from '../domain/ports.js';
import type { LiveProjection } from '../projections/live/liveProjection.js';
import { replayAsOf, type ReplayAnswer } from '../read-models/complianceReplay.js';
import { correctionsRecorded, type CorrectionEntry } from '../read-models/correctionLog.js';
import { ledgerMarketFacts, queryFeatures, type FeaturesAnswer, type FeaturesQuery } from '../read-models/features.js';
import { queryMergedCandles, queryOhlcv, type OhlcvAnswer, type OhlcvQuery } from '../read-models/ohlcv.js';
import { queryOrderFlow, type OrderFlowAnswer, type OrderFlowQuery, type OrderFlowSources } from '../read-models/orderFlow.js';
import { queryRealtime, type RealtimeAnswer } from '../read-models/realtime.js';
import { createAnswerCache } from './answerCache.js';

/** Symbols whose realtime answer is kept between live commits. */
const REALTIME_CACHE_SYMBOLS = 2_000;
/** Distinct OHLCV queries (symbol, interval, range, exchange) whose merged candles are kept; each holds up to 10,000 candles. */
const OHLCV_CACHE_QUERIES = 128;
/** Distinct feature queries whose computed rows are kept (each as many rows as its range has bars). */
const FEATURE_CACHE_QUERIES = 64;

export interface PlatformQueries {
  ohlcv(q: OhlcvQuery): Promise<OhlcvAnswer>;
  realtime(symbol: string): Promise<RealtimeAnswer>;
  /** The event-time `day` (default asOf's own) as known at `asOf`, beside what is true now. */
  replay(symbol: string, asOf: number, day?: string): Promise<ReplayAnswer>;
  /** The corrections of a symbol recorded in [from, to), with their actors and positions. */
  corrections(symbol: string, from: number, to: number): Promise<CorrectionEntry[]>;
  symbols(): Promise<string[]>;
  /** Features per bar from the merged candles (docs/features.md). */
  features(q: FeaturesQuery): Promise<FeaturesAnswer>;
  /** Order flow per bar: taker volumes, delta, CVD and book imbalance (read-models/orderFlow.ts). */
  orderFlow(q: OrderFlowQuery): Promise<OrderFlowAnswer>;
}

export interface PlatformQueryDeps {
  readonly ledger: Ledger;
  readonly live: LiveStore;
  readonly batch: BatchStore;
  readonly policy: SpeedPolicy;
  /** This process's live projection, when it runs here. */
  readonly committed: Pick<LiveProjection, 'contentVersion' | 'coverage'> | undefined;
  /** The books' imbalance per minute, as this process observes them live. */
  readonly bookImbalance: OrderFlowSources['imbalance'];
}

export const createPlatformQueries = ({ ledger, live, batch, policy, committed, bookImbalance }: PlatformQueryDeps): PlatformQueries => {
  const realtimeAnswers = createAnswerCache<RealtimeAnswer>(REALTIME_CACHE_SYMBOLS);
  const ohlcvCandles = createAnswerCache<CandleView[]>(OHLCV_CACHE_QUERIES);
  const liveCommitted = committed === undefined ? undefined : { contentVersion: committed.contentVersion, coverage: committed.coverage };
  const ohlcv = (q: OhlcvQuery) => queryOhlcv({ batch, live }, q, ohlcvCandles, liveCommitted);
  const marketFacts = ledgerMarketFacts(ledger);
  // Only where OHLCV answers are cached: elsewhere every answer's candles are new arrays.
  const featureRows = committed === undefined ? undefined : createAnswerCache<FeatureRow[]>(FEATURE_CACHE_QUERIES);
  return {
    ohlcv,
    realtime: (symbol) =>
      committed === undefined
        ? queryRealtime(live, symbol, policy)
        : realtimeAnswers(symbol, committed.contentVersion(), () => queryRealtime(live, symbol, policy)),
    replay: (symbol, asOf, day) => replayAsOf(ledger, symbol, asOf, day),
    corrections: (symbol, from, to) => correctionsRecorded(ledger, symbol, from, to),
    symbols: async () => {
      const [l, b] = await Promise.all([live.symbols(), batch.allMeta(OHLCV_VIEW)]);
      return [...new Set([...l, ...b.map((m) => m.symbol)])].sort();
    },
    features: (q) => queryFeatures({ ohlcv, marketFacts, ...(featureRows === undefined ? {} : { memo: featureRows }) }, q),
    // Exact candles, not cached: the answer cache holds the served OHLCV candles.
    orderFlow: (q) => queryOrderFlow({ candles: (cq) => queryMergedCandles({ batch, live }, cq, (c) => c, undefined, liveCommitted), imbalance: bookImbalance }, q),
  };
};

/**
 * The feature store's answers: a symbol's features per bar, computed from the merged candles
 * (the versioned OHLCV batch view ∪ the speed layer, read-models/ohlcv.ts) with LOOKBACK_BARS of
 * history before `from`, the market symbol's candles, and the symbol's market-cap and sentiment
 * events from the ledger. Each answer names the batch view version its candles came from: a
 * correction's recompute publishes a new version, and the next answer is computed from it.
 * The Spark engine publishes the same rows as its `features` view (spark-jobs/tickvault_jobs/features.py).
 * With a memo, rows computed from candles the OHLCV cache still holds are served again, not
 * recomputed: a burst of predictions at the latest bar computes its row once.
 */
import { InvalidInputError, isNotFoundError } from '../domain/errors.js';
import type { MarketSnapshotData, SentimentData } from '../domain/events/market.js';
import { computeFeatures, type FeatureBar, type MarketCapFact, type SentimentFact } from '../domain/features/computeFeatures.js';
import { FEATURES_DEFINITION_VERSION, LOOKBACK_BARS, MARKET_SYMBOL, type FeatureInterval } from '../domain/features/definitions.js';
import type { FeatureRow } from '../domain/features/featureRow.js';
import type { CandleView } from '../domain/folds/candle.js';
import type { GapSpan } from '../domain/folds/mergeLayers.js';
import type { Ledger } from '../domain/ports.js';
import { sentimentStream } from '../domain/streams.js';
import { INTERVAL_MS, bucketStart } from '../domain/time.js';
import { MAX_CANDLES, type OhlcvAnswer, type OhlcvQuery } from './ohlcv.js';

export interface FeaturesQuery {
  readonly symbol: string;
  readonly interval: FeatureInterval;
  readonly from: number;
  readonly to: number;
}

export interface FeaturesAnswer {
  readonly symbol: string;
  readonly interval: FeatureInterval;
  readonly from: number;
  readonly to: number;
  /** Bumped whenever a definition in docs/features.md changes. */
  readonly definitionVersion: number;
  readonly rows: FeatureRow[];
  /** The OHLCV batch view the symbol's candles came from (null: speed layer only). */
  readonly batch: { readonly view: 'ohlcv'; readonly version: number; readonly computedThrough: number } | null;
  /** Parts of the range (with its lookback) that neither layer covers. */
  readonly gaps: readonly GapSpan[];
  readonly degraded: boolean;
}

/** Bars per answer: the lookback and the rows asked for must fit one OHLCV answer. */
export const MAX_FEATURE_BARS = MAX_CANDLES - LOOKBACK_BARS;

/** The symbol's market-cap snapshots and sentiment readings, with their ledger positions. */
export type MarketFactsReader = (symbol: string) => Promise<{ marketCaps: MarketCapFact[]; sentiment: SentimentFact[] }>;

/**
 * Shares computed rows between queries whose inputs are the same (the app's answer cache fits):
 * `version` names the very candle arrays the OHLCV answers came with and the market facts read.
 */
export type FeatureRowsMemo = (key: string, version: string, compute: () => Promise<FeatureRow[]>) => Promise<FeatureRow[]>;

export interface FeatureSources {
  readonly ohlcv: (q: OhlcvQuery) => Promise<OhlcvAnswer>;
  readonly marketFacts: MarketFactsReader;
  /** Without it every query computes its rows. */
  readonly memo?: FeatureRowsMemo;
}

/**
 * A number per candle array: the OHLCV answer cache hands out the same array while the candles
 * are unchanged (and nothing mutates a served array), so the same two numbers mean the same
 * candles, and a recomputed answer is a new array with a new number.
 */
const identities = new WeakMap<object, number>();
let lastIdentity = 0;
const identityOf = (o: object): number => {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = ++lastIdentity));
  return id;
};

/** Facts are appended, never changed: their count and newest position name the set read. */
const factsStamp = (facts: ReadonlyArray<{ position: number }>): string => `${facts.length}@${facts.reduce((m, f) => Math.max(m, f.position), 0)}`;

/** Reads the facts from the ledger's `market/{provider}/{symbol}` and `sentiment/{symbol}` streams. */
export const ledgerMarketFacts = (ledger: Pick<Ledger, 'streamsMatching' | 'readStream'>): MarketFactsReader => async (symbol) => {
  const streams = await ledger.streamsMatching('market/', `/${symbol}`);
  const snapshots = (await Promise.all(streams.map((s) => ledger.readStream(s)))).flat();
  const readings = await ledger.readStream(sentimentStream(symbol));
  const marketCaps: MarketCapFact[] = [];
  for (const e of snapshots) {
    if (e.type !== 'MarketSnapshotObserved') continue;
    const d = e.data as MarketSnapshotData;
    marketCaps.push({ eventTime: d.eventTime, position: e.position, marketCapUsd: Number(d.marketCapUsd), rank: d.rank });
  }
  const sentiment: SentimentFact[] = [];
  for (const e of readings) {
    if (e.type !== 'SentimentObserved') continue;
    const d = e.data as SentimentData;
    sentiment.push({ eventTime: d.minute, position: e.position, score: d.score });
  }
  return { marketCaps, sentiment };
};

const featureBar = (c: CandleView): FeatureBar => ({
  time: c.time,
  close: c.close,
  volume: c.volume,
  takerBuyVolume: c.takerBuyVolume,
  takerSellVolume: c.takerSellVolume,
  trades: c.trades,
});

/** One array for every answer without market candles: the same, as the rows memo reads it. */
const NO_CANDLES: readonly CandleView[] = Object.freeze([]);

/** The market's candles; none when the market symbol is not recorded (its return is then null). */
const marketCandles = async (sources: FeatureSources, q: OhlcvQuery): Promise<readonly CandleView[]> => {
  try {
    return (await sources.ohlcv(q)).candles;
  } catch (e) {
    if (isNotFoundError(e)) return NO_CANDLES;
    throw e;
  }
};

export const queryFeatures = async (sources: FeatureSources, q: FeaturesQuery): Promise<FeaturesAnswer> => {
  const size = INTERVAL_MS[q.interval];
  const from = bucketStart(q.from, q.interval);
  if (q.to <= from) throw new InvalidInputError(`to (${new Date(q.to).toISOString()}) must be after from (${new Date(from).toISOString()})`);
  const bars = Math.ceil((q.to - from) / size);
  if (bars > MAX_FEATURE_BARS) {
    throw new InvalidInputError(`the range holds ${bars} ${q.interval} bars; at most ${MAX_FEATURE_BARS} per query: page with from/to`);
  }
  const historyFrom = from - LOOKBACK_BARS * size;
  const [own, market, facts] = await Promise.all([
    sources.ohlcv({ symbol: q.symbol, interval: q.interval, from: historyFrom, to: q.to }),
    q.symbol === MARKET_SYMBOL ? undefined : marketCandles(sources, { symbol: MARKET_SYMBOL, interval: q.interval, from: from - size, to: q.to }),
    sources.marketFacts(q.symbol),
  ]);
  const compute = async (): Promise<FeatureRow[]> => {
    const candles = own.candles.filter((c) => c.time < q.to);
    return computeFeatures({
      interval: q.interval,
      bars: candles.map(featureBar),
      market: (market ?? candles).map((c) => ({ time: c.time, close: c.close })),
      ...facts,
    }).filter((r) => r.time >= from);
  };
  const rows = sources.memo === undefined
    ? await compute()
    : await sources.memo(
        [q.symbol, q.interval, from, q.to].join('|'),
        [identityOf(own.candles), market === undefined ? '-' : identityOf(market), factsStamp(facts.marketCaps), factsStamp(facts.sentiment)].join('|'),
        compute,
      );
  return {
    symbol: q.symbol,
    interval: q.interval,
    from,
    to: q.to,
    definitionVersion: FEATURES_DEFINITION_VERSION,
    rows,
    batch: own.batch === null ? null : { view: 'ohlcv', ...own.batch },
    gaps: own.gaps,
    degraded: own.degraded,
  };
};

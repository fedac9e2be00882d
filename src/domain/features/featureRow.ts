/** One bar's features: what the store serves, exports and the Spark view publishes (in snake_case). */

export interface FeatureRow {
  /** Start of the bar (epoch ms, UTC); its features use nothing after the bar's end. */
  readonly time: number;
  readonly close: number;
  /** ln(C_t / C_{t−h}) for h = 1, 3, 6, 12, 24 bars; null when bar t−h is missing. */
  readonly logReturn1: number | null;
  readonly logReturn3: number | null;
  readonly logReturn6: number | null;
  readonly logReturn12: number | null;
  readonly logReturn24: number | null;
  /** The 1-bar log return k bars back. */
  readonly logReturn1Lag1: number | null;
  readonly logReturn1Lag2: number | null;
  readonly logReturn1Lag3: number | null;
  readonly realisedVol24: number | null;
  readonly rsi14: number | null;
  readonly macd: number | null;
  readonly macdSignal: number | null;
  readonly macdHist: number | null;
  readonly bollingerPctB: number | null;
  readonly volume: number;
  readonly volumeZ20: number | null;
  readonly takerBuyVolume: number;
  readonly takerSellVolume: number;
  /** (buy − sell) / (buy + sell); null when the bar's trades have no taker volume. */
  readonly flowImbalance: number | null;
  /** Σ (buy − sell) over the bar's UTC day through this bar. */
  readonly cumulativeVolumeDelta: number;
  readonly trades: number;
  /** The market symbol's 1-bar log return at the same bar. */
  readonly marketLogReturn1: number | null;
  readonly marketCapUsd: number | null;
  readonly marketCapRank: number | null;
  readonly sentiment: number | null;
}

/** The columns in the order the API documents, the export writes and the Spark view publishes (camelCase here). */
export const FEATURE_COLUMNS = [
  'time',
  'close',
  'logReturn1',
  'logReturn3',
  'logReturn6',
  'logReturn12',
  'logReturn24',
  'logReturn1Lag1',
  'logReturn1Lag2',
  'logReturn1Lag3',
  'realisedVol24',
  'rsi14',
  'macd',
  'macdSignal',
  'macdHist',
  'bollingerPctB',
  'volume',
  'volumeZ20',
  'takerBuyVolume',
  'takerSellVolume',
  'flowImbalance',
  'cumulativeVolumeDelta',
  'trades',
  'marketLogReturn1',
  'marketCapUsd',
  'marketCapRank',
  'sentiment',
] as const satisfies ReadonlyArray<keyof FeatureRow>;

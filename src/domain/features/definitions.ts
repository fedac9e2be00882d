/**
 * The feature store's fixed definitions (docs/features.md states each one in words). A change to
 * any of them changes what every feature row means, so it bumps FEATURES_DEFINITION_VERSION, which
 * every answer and every Spark row carries beside the candles' batch view version.
 */

export const FEATURES_DEFINITION_VERSION = 1;

/** Intervals the feature store serves. */
export const FEATURE_INTERVALS = ['1h', '1d'] as const;
export type FeatureInterval = (typeof FEATURE_INTERVALS)[number];

/** Horizons (in bars) of the log returns. */
export const RETURN_HORIZONS = [1, 3, 6, 12, 24] as const;
/** Lags (in bars) of the 1-bar log return. */
export const RETURN_LAGS = [1, 2, 3] as const;
/** Bars of 1-bar returns behind the realised volatility (sample sd, ddof 1). */
export const REALISED_VOL_BARS = 24;
/** Close-to-close changes behind RSI (Cutler's: simple means of gains and losses). */
export const RSI_BARS = 14;
/** MACD 12/26/9: EMA spans of the fast and slow lines and of the signal. */
export const MACD_FAST = 12;
export const MACD_SLOW = 26;
export const MACD_SIGNAL = 9;
/**
 * The EMAs are seeded this many bars back (with the first close in the window), so a bar's MACD
 * depends on a fixed stretch of history, whatever range was asked and on either engine. The seed's
 * weight left at the end is (1 − 2/27)^200 ≈ 2e-7 for the slow line.
 */
export const MACD_WINDOW_BARS = 200;
/** The signal's EMA runs over the MACD values of this many bars: (1 − 2/10)^100 ≈ 2e-10. */
export const MACD_SIGNAL_WINDOW_BARS = 100;
/** Bollinger %b: 20 closes, bands at ± 2 population standard deviations. */
export const BOLLINGER_BARS = 20;
export const BOLLINGER_WIDTH = 2;
/** Volume z-score: the bar's volume against the last 20 bars' volumes (its own included), sample sd. */
export const VOLUME_Z_BARS = 20;
/** The market's return is this symbol's 1-bar log return at the same bar. */
export const MARKET_SYMBOL = 'BTC-USDT';
/** Autocorrelation of 1-bar log returns: lags 1..30. */
export const ACF_MAX_LAG = 30;

/**
 * How many bars before a bar its features may look at: the MACD signal's window of MACD values,
 * each of which looks at its own window of closes. A query fetches this many bars before `from`.
 */
export const LOOKBACK_BARS = MACD_WINDOW_BARS + MACD_SIGNAL_WINDOW_BARS;

/**
 * The indicators strategies read, over typed arrays, each value NaN until its window is full:
 * a strategy only ever sees the bars inside the backtest's range, so the first signal comes once
 * the longest window is full of them. One pass each; written here rather than taken from a
 * package because the domain imports nothing, and the engine needs them over Float64Array views
 * without copies.
 */

/**
 * Simple moving average. The running sum is kept of x − x[0] rather than of x, so that a long
 * series of large prices (BTC at 20,000 over half a million minutes) keeps the sum small and the
 * rounding error of adding and removing values stays near that of the values' changes. A window
 * of equal values averages to that value exactly (as pandas' rolling mean does): a flat stretch
 * (a stablecoin, a halted market) must not show a fast and a slow average a rounding apart.
 */
export const sma = (x: Float64Array, window: number, out: Float64Array = new Float64Array(x.length)): Float64Array => {
  const n = x.length;
  const origin = n > 0 ? x[0]! : 0;
  let sum = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    same = i > 0 && v === x[i - 1]! ? same + 1 : 1;
    sum += v - origin;
    if (i >= window) sum -= x[i - window]! - origin;
    out[i] = i < window - 1 ? NaN : same >= window ? v : origin + sum / window;
  }
  return out;
};

/** Population standard deviation (ddof 0) over `window` bars around that bar's mean, exactly by two passes. */
export const rollingStd = (x: Float64Array, window: number, mean: Float64Array): Float64Array => {
  const n = x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i < window - 1) {
      out[i] = NaN;
      continue;
    }
    const m = mean[i]!;
    let ss = 0;
    for (let j = i - window + 1; j <= i; j++) {
      const d = x[j]! - m;
      ss += d * d;
    }
    out[i] = Math.sqrt(ss / window);
  }
  return out;
};

/**
 * RSI with simple averages (Cutler's RSI): the mean gain and mean loss of the last `window` close
 * to close changes, RSI = 100 − 100 / (1 + gain / loss); 100 when the window holds no loss, and
 * undefined (NaN, no signal) when it holds neither gain nor loss. Whether a window holds any loss
 * is counted, not read from the running sum, so that a sum which should be 0 but kept a rounding
 * residue does not turn "no loss" into a tiny one.
 */
export const rsi = (close: Float64Array, window: number): Float64Array => {
  const n = close.length;
  const out = new Float64Array(n);
  let gains = 0;
  let losses = 0;
  let gainCount = 0;
  let lossCount = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const d = close[i]! - close[i - 1]!;
      if (d > 0) {
        gains += d;
        gainCount++;
      } else if (d < 0) {
        losses -= d;
        lossCount++;
      }
    }
    if (i > window) {
      const d = close[i - window]! - close[i - window - 1]!;
      if (d > 0) {
        gains -= d;
        gainCount--;
      } else if (d < 0) {
        losses += d;
        lossCount--;
      }
    }
    if (i < window) out[i] = NaN;
    else if (lossCount === 0) out[i] = gainCount === 0 ? NaN : 100;
    else out[i] = 100 - 100 / (1 + (gainCount === 0 ? 0 : gains) / losses);
  }
  return out;
};

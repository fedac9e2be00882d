/**
 * Chart indicators computed in the browser from the candles shown: moving average, Bollinger
 * bands, RSI (Wilder's smoothing) and MACD. Each answer is aligned with its input; positions
 * before the indicator is defined are null.
 */
export type Series = (number | null)[];

export const sma = (values: readonly number[], n: number): Series => {
  const out: Series = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= n) sum -= values[i - n]!;
    out.push(i >= n - 1 ? sum / n : null);
  }
  return out;
};

/** Middle band = SMA(n); upper and lower = middle ± k population standard deviations over the same n. */
export const bollinger = (values: readonly number[], n: number, k: number): { middle: Series; upper: Series; lower: Series } => {
  const middle = sma(values, n);
  const upper: Series = [];
  const lower: Series = [];
  for (let i = 0; i < values.length; i++) {
    const m = middle[i]!;
    if (m === null) {
      upper.push(null);
      lower.push(null);
      continue;
    }
    let sq = 0;
    for (let j = i - n + 1; j <= i; j++) sq += (values[j]! - m) ** 2;
    const sd = Math.sqrt(sq / n);
    upper.push(m + k * sd);
    lower.push(m - k * sd);
  }
  return { middle, upper, lower };
};

/** Exponential moving average seeded with the SMA of the first n values (α = 2 / (n + 1)). */
export const ema = (values: readonly number[], n: number): Series => {
  const out: Series = [];
  const alpha = 2 / (n + 1);
  let prev: number | null = null;
  let seed = 0;
  for (let i = 0; i < values.length; i++) {
    if (prev === null) {
      seed += values[i]!;
      if (i === n - 1) prev = seed / n;
      out.push(prev);
      continue;
    }
    prev = alpha * values[i]! + (1 - alpha) * prev;
    out.push(prev);
  }
  return out;
};

/** RSI(n) with Wilder's smoothing: defined from index n on; 100 when there is no loss at all. */
export const rsi = (values: readonly number[], n: number): Series => {
  const out: Series = values.length === 0 ? [] : [null];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < values.length; i++) {
    const d = values[i]! - values[i - 1]!;
    const up = Math.max(d, 0);
    const down = Math.max(-d, 0);
    if (i <= n) {
      gain += up / n;
      loss += down / n;
    } else {
      gain = (gain * (n - 1) + up) / n;
      loss = (loss * (n - 1) + down) / n;
    }
    out.push(i < n ? null : loss === 0 ? 100 : 100 - 100 / (1 + gain / loss));
  }
  return out;
};

/** MACD line = EMA(fast) − EMA(slow); signal = EMA(signal) of the MACD line; histogram = line − signal. */
export const macd = (values: readonly number[], fast = 12, slow = 26, signal = 9): { line: Series; signal: Series; histogram: Series } => {
  const f = ema(values, fast);
  const s = ema(values, slow);
  const line: Series = values.map((_, i) => (f[i] === null || s[i] === null ? null : f[i]! - s[i]!));
  const start = line.findIndex((x) => x !== null);
  const defined = start < 0 ? [] : (line.slice(start) as number[]);
  const sig: Series = [...Array<null>(start < 0 ? values.length : start).fill(null), ...ema(defined, signal)];
  return { line, signal: sig, histogram: line.map((x, i) => (x === null || sig[i] === null ? null : x - sig[i]!)) };
};

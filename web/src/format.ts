/** Numbers and times for people: thousands separators, decimals by magnitude, UTC labelled. */
const cache = new Map<number, Intl.NumberFormat>();
const formatter = (decimals: number): Intl.NumberFormat => {
  let f = cache.get(decimals);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    cache.set(decimals, f);
  }
  return f;
};

/** Fixed decimals per asset: a price's decimals follow its size (BTC 2, a small coin up to 8). */
export const priceDecimals = (price: number): number => {
  const a = Math.abs(price);
  if (a >= 1000) return 2;
  if (a >= 1) return 4;
  if (a === 0) return 2;
  return Math.min(8, 3 - Math.floor(Math.log10(a)));
};

export const num = (x: number | null | undefined, decimals = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : formatter(decimals).format(x));
export const price = (x: number | string | null | undefined): string => {
  const n = typeof x === 'string' ? Number(x) : x;
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : num(n, priceDecimals(n));
};
export const pct = (x: number | null | undefined, decimals = 2): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  // A change that rounds to zero is shown unsigned, not as −0.00%.
  const text = num(Math.abs(x * 100), decimals);
  return /[1-9]/.test(text) ? `${x > 0 ? '+' : '−'}${text}%` : `${text}%`;
};
/** A large amount in short form: 1.23M, 45.6K. */
export const compact = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 }).format(x);
/** `2024-01-01 12:00:00 UTC`. */
export const utc = (ms: number | null | undefined): string => (ms === null || ms === undefined || !Number.isFinite(ms) ? '–' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
export const utcTime = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

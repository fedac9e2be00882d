/**
 * ISO-8601 / RFC 3339 timestamps → epoch milliseconds, as Coinbase and Kraken send them
 * (`2014-11-07T08:19:27.028459Z`). Sub-millisecond digits are cut, not rounded, so a trade keeps
 * the millisecond it happened in.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number =>
  month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : DAYS[month - 1]!;

const digitsAt = (s: string, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};

/**
 * The second last read by the fast path ("2024-08-08T23:55:07", already checked) and its epoch
 * ms: a feed's timestamps share their second with the previous one most of the time, and then
 * only the milliseconds are read.
 */
let lastSecond = '\u0000';
let lastSecondMs = 0;

/** The common layout, UTC with 3 to 9 fraction digits, read without a regex. */
const parseUtcFast = (s: string): number | undefined => {
  const n = s.length;
  if (n < 24 || n > 30 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(19) !== 46 /* . */) return undefined;
  const ms = digitsAt(s, 20, 3);
  if (ms < 0 || digitsAt(s, 23, n - 24) < 0) return undefined;
  if (s.startsWith(lastSecond)) return lastSecondMs + ms;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  if (year < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  lastSecondMs = Date.UTC(year, month - 1, day, h, mi, sec);
  lastSecond = s.slice(0, 19);
  return lastSecondMs + ms;
};

/** ISO-8601 with up to nanoseconds → epoch ms. Parsed by hand: Date.parse is the slowest step of decoding a trade. */
export const parseIsoMillis = (s: unknown): number | undefined => {
  if (typeof s !== 'string') return undefined;
  const fast = parseUtcFast(s);
  if (fast !== undefined) return fast;
  const m = ISO_TIME.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
  const month = Number(mo);
  const day = Number(d);
  const year = Number(y);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return undefined;
  let ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(sec), frac === undefined ? 0 : Number(frac.length >= 3 ? frac.slice(0, 3) : frac.padEnd(3, '0')));
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms >= 0 ? ms : undefined;
};

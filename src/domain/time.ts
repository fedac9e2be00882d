/** Event-time buckets. All times are epoch milliseconds, UTC. */

export const INTERVALS = ['1m', '5m', '1h', '1d'] as const;
export type Interval = (typeof INTERVALS)[number];

export const INTERVAL_MS: Record<Interval, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
};

export const isInterval = (s: string): s is Interval => (INTERVALS as readonly string[]).includes(s);

export const bucketStart = (t: number, interval: Interval): number => {
  const size = INTERVAL_MS[interval];
  return t - (((t % size) + size) % size);
};

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/**
 * `yyyy-mm-dd` of an instant, UTC. Called for every ingested event (its stream name), so the
 * few days in play are remembered instead of formatting a Date each time.
 */
const dayNames = new Map<number, string>();
export const utcDay = (t: number): string => {
  const start = bucketStart(t, '1d');
  let name = dayNames.get(start);
  if (name === undefined) {
    if (dayNames.size >= 4096) dayNames.clear();
    name = new Date(start).toISOString().slice(0, 10);
    dayNames.set(start, name);
  }
  return name;
};

/** Start of a `yyyy-mm-dd` day, or undefined when malformed. */
export const parseUtcDay = (day: string): number | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : t;
};

/** Earliest and latest plausible event times: 2009-01-01 .. 2100-01-01. Outside is an input error. */
export const MIN_EVENT_TIME = Date.UTC(2009, 0, 1);
export const MAX_EVENT_TIME = Date.UTC(2100, 0, 1);

/**
 * The models bench's clock: it starts five minutes into 27 February 2023, inside the shared klines,
 * so 26 February 23:00 is the latest complete 1h bar, and then advances with the wall clock, as a
 * live server's does: caches keyed or aged by time (the predictions' feature rows) expire as they
 * would in production instead of being served for ever from a frozen instant. A bench run lasts
 * minutes, well inside the hour before the next bar closes.
 */
export const MODELS_BENCH_NOW = Date.UTC(2023, 1, 27, 0, 5);

/** A clock reading MODELS_BENCH_NOW when made, advancing in real time from then. */
export const modelsBenchClock = (): { now: () => number } => {
  const startedAt = Date.now();
  return { now: () => MODELS_BENCH_NOW + (Date.now() - startedAt) };
};

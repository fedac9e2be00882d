/** The models bench's clock: five minutes into 27 February 2023, inside the shared klines, so 26 February 23:00 is the latest complete 1h bar. */
export const MODELS_BENCH_NOW = Date.UTC(2023, 1, 27, 0, 5);

import type { Clock } from '../../domain/ports.js';

/** Wall-clock time in epoch milliseconds. */
export const systemClock: Clock = { now: () => Date.now() };

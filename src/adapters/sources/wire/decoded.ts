/**
 * What a wire decoder makes of one exchange message: canonical items (trades, candles, or a
 * rejection with its reason), or `skipped` for a valid message that carries no market fact
 * (subscription acknowledgements, heartbeats, order-book updates, klines still open).
 */
import type { SourceItem } from '../../../domain/ports.js';

export const SKIPPED = 'skipped' as const;
export type Decoded = SourceItem | typeof SKIPPED;

export const rejected = (reason: string, raw: unknown): SourceItem => ({ kind: 'rejected', reason, raw });

/**
 * Names that more than one layer must spell the same way: the checkpoints projections keep
 * beside their output, the batch view, the job queues and the broadcast channels. A writer and
 * its readers live in different layers (a projection commits, a read model or an HTTP route
 * reads), so the name lives here, where every layer may import it.
 */

/** The live projection's checkpoint in the LiveStore. */
export const LIVE_PROJECTION = 'live';
/** The batch projector's checkpoint in the BatchStore, shared with the engines that commit for it. */
export const BATCH_PROJECTOR = 'batch';
/** The candles batch view: its meta (version, computedThrough) in the BatchStore and its `views/` stream. */
export const OHLCV_VIEW = 'ohlcv';

/** JobQueue queue that runs recompute requests promptly (the batch projector's checkpoint is what guarantees them). */
export const RECOMPUTE_QUEUE = 'recompute';
/** JobQueue queue of webhook deliveries, one job per (subscription, alert). */
export const WEBHOOK_QUEUE = 'webhooks';

/** Broadcaster channel of every alert message (/ws/alerts). */
export const ALERTS_CHANNEL = 'alerts';
/** Broadcaster channel of one symbol's trades, candles and alerts (/ws/stream/{symbol}). */
export const streamChannel = (symbol: string): string => `stream:${symbol}`;
/** Broadcaster channel of one symbol's order-book views, per exchange and consolidated (/ws/book/{symbol}). */
export const bookChannel = (symbol: string): string => `book:${symbol}`;

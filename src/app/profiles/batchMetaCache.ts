/**
 * A batch store whose view meta is read from memory: every OHLCV query needs the symbol's view
 * meta (its version and computedThrough name the cached answer), and on HBase that read is a REST
 * round trip which, at a thousand queries a second, is most of the query's cost.
 *
 * Exact for writes made through it (a commit forgets everything cached) and for writes made
 * around it that its owner is told of (`invalidateMeta`, after a Spark job); writes by another
 * process show within `maxAgeMs`: an entry serves only within the `maxAgeMs` slice of time it was
 * read in. Failed reads are not kept.
 */
import type { BatchStore, BatchViewMeta } from '../../domain/ports.js';
import { createAnswerCache } from '../answerCache.js';

/** Entries kept at most: one per view and symbol asked about, unknown symbols included. */
const MAX_ENTRIES = 10_000;

export const withMetaCache = (store: BatchStore, opts: { readonly maxAgeMs: number; readonly now: () => number }): BatchStore => {
  let cache = createAnswerCache<BatchViewMeta | undefined>(MAX_ENTRIES);
  const forget = (): void => {
    cache = createAnswerCache(MAX_ENTRIES);
  };
  return {
    checkpoint: (projector) => store.checkpoint(projector),
    async commit(projector, write, checkpoint) {
      try {
        await store.commit(projector, write, checkpoint);
      } finally {
        // After the write, so that a read which raced it and saw the old meta is forgotten too.
        forget();
      }
    },
    minutes: (symbol, from, to) => store.minutes(symbol, from, to),
    candles: (symbol, interval, from, to) => store.candles(symbol, interval, from, to),
    meta: (view, symbol) => cache(`${view}\u0000${symbol}`, Math.floor(opts.now() / opts.maxAgeMs), () => store.meta(view, symbol)),
    allMeta: (view) => store.allMeta(view),
    invalidateMeta: forget,
    close: () => store.close(),
  };
};

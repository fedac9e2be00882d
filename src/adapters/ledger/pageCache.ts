/**
 * Full pages recently read from storage, shared by followers that replay the same stretch of
 * the ledger at the same time: at start the live projection, the alert engine and the alert feed
 * all fold from their checkpoints, and without this each of them queries and parses every event
 * once more. Only full pages are kept: a stored position never changes (append-only), but a short
 * page at the head would grow. Callers get their own copy of the page array; the events in it are
 * shared and, like every recorded event, never mutated.
 */
import type { RecordedEvent } from '../../domain/events/envelope.js';

export interface PageCache {
  /** The page of `limit` events after `after`, from the cache or else from `load`. */
  read(after: number, limit: number, load: (after: number, limit: number) => RecordedEvent[]): RecordedEvent[];
}

export const createPageCache = (capacity: number): PageCache => {
  const pages = new Map<string, readonly RecordedEvent[]>();
  return {
    read(after, limit, load) {
      const key = `${after}/${limit}`;
      const hit = pages.get(key);
      if (hit !== undefined) return hit.slice();
      const page = load(after, limit);
      if (page.length === limit) {
        pages.set(key, page.slice());
        // Map iteration is insertion order: the first key is the oldest page.
        if (pages.size > capacity) pages.delete(pages.keys().next().value as string);
      }
      return page;
    },
  };
};

/** Book items as a source hands them to ingest, and the book they make by an instant (for e2e tests of the archive and replay). */
import type { BookItem, MarketSource } from '../../src/domain/ports.js';
import { ReferenceBook } from './referenceBook.js';

/** A source that emits the given batches of book items, then ends. */
export const bookSource = (batches: readonly BookItem[][]): MarketSource => ({
  name: 'test-books',
  async run(emit) {
    for (const items of batches) await emit({ source: 'test-books', items });
  },
  progress: () => ({ done: 0, total: undefined }),
});

/** The reference book of one exchange after its items with event time ≤ at. */
export const referenceAt = (items: readonly BookItem[], exchange: string, at: number): ReferenceBook => {
  const b = new ReferenceBook();
  for (const i of items) {
    if (i.data.exchange !== exchange || i.data.eventTime > at) continue;
    if (i.kind === 'bookSnapshot') for (const side of ['bids', 'asks'] as const) for (const l of b.sorted(side)) b.set(side, l.price, '0');
    for (const [p, q] of i.data.bids) b.set('bids', p, q);
    for (const [p, q] of i.data.asks) b.set('asks', p, q);
  }
  return b;
};

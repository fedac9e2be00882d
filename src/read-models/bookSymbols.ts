/**
 * The symbols the platform has order books of: those with a book digest in the ledger (every
 * closed interval of every book has one, so an API process that holds no live book knows them
 * too), and those with a live book in this process whose first interval has not closed yet.
 */
import type { Ledger } from '../domain/ports.js';
import { BOOK_DIGEST_STREAM_PREFIX } from '../domain/streams.js';

export const bookSymbols = async (ledger: Pick<Ledger, 'streamsMatching'>, live: Iterable<{ readonly symbol: string }>): Promise<string[]> => {
  const symbols = new Set<string>();
  // Stream names are `book-digests/<exchange>/<SYMBOL>/<day>` (bookDigestStream).
  for (const stream of await ledger.streamsMatching(BOOK_DIGEST_STREAM_PREFIX, '')) {
    const symbol = stream.split('/')[2];
    if (symbol !== undefined) symbols.add(symbol);
  }
  for (const b of live) symbols.add(b.symbol);
  return [...symbols].sort();
};

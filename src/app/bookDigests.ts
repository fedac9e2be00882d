/** How the order-book archive reaches the ledger: its digests recorded by the RecordBookDigest command, on the archive's behalf. */
import { recordBookDigest } from '../commands/recordBookDigest.js';
import type { CommandDeps } from '../commands/commandContext.js';
import type { BookArchiveDeps } from '../projections/orderbook/bookArchive.js';

const ORIGIN = { actor: 'system:book-archive', source: 'book-archive' };

export const ledgerDigests = (deps: CommandDeps): Pick<BookArchiveDeps, 'recordDigest' | 'digestRecorded'> => ({
  async recordDigest(digest) {
    await recordBookDigest(deps, digest, { ...ORIGIN, correlationId: `book-digest-${digest.exchange}-${digest.symbol}-${digest.intervalStart}` });
  },
  digestRecorded: async (key) => (await deps.ledger.findByDedupKey(key)) !== undefined,
});

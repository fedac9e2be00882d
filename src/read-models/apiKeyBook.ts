/**
 * The API keys the HTTP layer checks requests against: the fold of the key stream, indexed by
 * key hash. Re-read on `refresh` (the stream holds one event per issue or revocation, so it
 * stays small); the platform refreshes it right after its own key commands and on a timer, so
 * a key issued or revoked by another process (the CLI, another API process) takes effect here
 * within that period.
 */
import { evolveApiKeys, noApiKeys, type ApiKeyRecord, type ApiKeys } from '../domain/access/apiKeys.js';
import { upcastEvent } from '../domain/events/catalogue.js';
import type { Ledger } from '../domain/ports.js';
import { API_KEY_STREAM } from '../domain/streams.js';

export interface ApiKeyBook {
  /** Reads the key stream again. */
  refresh(): Promise<void>;
  /** The active (not revoked) key with this hash. */
  activeByHash(keyHash: string): ApiKeyRecord | undefined;
  /** Every key ever issued, in the order issued, revoked ones marked. */
  list(): readonly ApiKeyRecord[];
}

export const createApiKeyBook = (ledger: Pick<Ledger, 'readStream'>): ApiKeyBook => {
  let keys: ApiKeys = noApiKeys();
  let byHash = new Map<string, ApiKeyRecord>();
  const read = async (): Promise<void> => {
    let folded = noApiKeys();
    for (const event of await ledger.readStream(API_KEY_STREAM)) {
      const fact = upcastEvent(event);
      if (fact !== undefined) folded = evolveApiKeys(folded, fact);
    }
    keys = folded;
    byHash = new Map([...folded.values()].filter((k) => !k.revoked).map((k) => [k.keyHash, k]));
  };
  // One read at a time, each starting after the last ended: an older read never lands after a newer one.
  let reading: Promise<void> = Promise.resolve();
  return {
    refresh() {
      reading = reading.then(read, read);
      return reading;
    },
    activeByHash: (keyHash) => byHash.get(keyHash),
    list: () => [...keys.values()],
  };
};

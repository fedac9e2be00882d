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
  /** Every key ever issued, in the order issued, revoked ones marked, each with where the ledger recorded it. */
  list(): readonly ListedApiKey[];
}

/** A key with the ledger position of its KeyIssued event (and of its KeyRevoked event once revoked): their proofs are one call away. */
export interface ListedApiKey extends ApiKeyRecord {
  readonly position: number;
  readonly revokedPosition: number | null;
}

export const createApiKeyBook = (ledger: Pick<Ledger, 'readStream'>): ApiKeyBook => {
  let keys: ApiKeys = noApiKeys();
  let positions = new Map<string, { issued: number; revoked: number | null }>();
  let byHash = new Map<string, ApiKeyRecord>();
  const read = async (): Promise<void> => {
    let folded = noApiKeys();
    const at = new Map<string, { issued: number; revoked: number | null }>();
    for (const event of await ledger.readStream(API_KEY_STREAM)) {
      const fact = upcastEvent(event);
      if (fact === undefined) continue;
      const before = folded;
      folded = evolveApiKeys(folded, fact);
      // The position of the event that made the key's record what it is: only facts the fold took.
      if (folded === before) continue;
      if (fact.type === 'KeyIssued') at.set(fact.data.keyId, { issued: event.position, revoked: null });
      else if (fact.type === 'KeyRevoked') at.set(fact.data.keyId, { issued: at.get(fact.data.keyId)!.issued, revoked: event.position });
    }
    keys = folded;
    positions = at;
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
    list: () => [...keys.values()].map((k) => ({ ...k, position: positions.get(k.keyId)!.issued, revokedPosition: positions.get(k.keyId)!.revoked })),
  };
};

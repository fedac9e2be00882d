/**
 * The API keys as the fold of their stream (streams.ts API_KEY_STREAM): one record per key ever
 * issued, revoked ones kept and marked, so a revocation survives a restart like any other fact.
 * Both the key commands' decisions and the key book the HTTP layer checks keys against fold it.
 */
import type { Fact } from '../decider.js';
import type { Role } from './roles.js';

export interface ApiKeyRecord {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  /** SHA-256 (hex) of the key; the key itself is shown once, when it is issued, and kept nowhere. */
  readonly keyHash: string;
  readonly revoked: boolean;
}

export type ApiKeys = ReadonlyMap<string, ApiKeyRecord>;

export const noApiKeys = (): ApiKeys => new Map();

export const evolveApiKeys = (keys: ApiKeys, fact: Fact): ApiKeys => {
  if (fact.type === 'KeyIssued') {
    const { keyId, name, role, keyHash } = fact.data;
    return new Map(keys).set(keyId, { keyId, name, role, keyHash, revoked: false });
  }
  if (fact.type === 'KeyRevoked') {
    const key = keys.get(fact.data.keyId);
    return key === undefined ? keys : new Map(keys).set(key.keyId, { ...key, revoked: true });
  }
  return keys;
};

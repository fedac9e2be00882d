/**
 * The platform's API keys: issuing makes a key (apiKeySecret.ts), records only its hash in a
 * KeyIssued event and returns the key once; revoking records KeyRevoked; both refresh the key
 * book at once, and a timer refreshes it for keys issued or revoked by other processes.
 */
import { hashApiKey, newApiKeySecret } from '../adapters/system/apiKeySecret.js';
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { issueApiKey } from '../commands/issueApiKey.js';
import { revokeApiKey } from '../commands/revokeApiKey.js';
import type { Role } from '../domain/access/roles.js';
import { createApiKeyBook } from '../read-models/apiKeyBook.js';

/** How soon a key issued or revoked by another process takes effect in this one. */
export const KEY_REFRESH_MS = 1_000;

export interface IssuedApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  /** The key itself: shown to whoever asked for it, kept nowhere. */
  readonly key: string;
  readonly position: number;
}

export interface PublicApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly revoked: boolean;
  /** Ledger position of the key's KeyIssued event (its inclusion proof: /api/v1/ledger/proofs/inclusion?position=). */
  readonly position: number;
  /** Ledger position of its KeyRevoked event; null while it is active. */
  readonly revokedPosition: number | null;
}

export interface PlatformApiKeys {
  issue(input: unknown, origin: CommandOrigin): Promise<IssuedApiKey>;
  /** The first admin key of a platform that has none (the given key, or a new one); undefined when keys exist. */
  issueFirstAdminKey(origin: CommandOrigin, given?: string): Promise<IssuedApiKey | undefined>;
  revoke(keyId: string, reason: string, origin: CommandOrigin): Promise<{ keyId: string; revoked: boolean; position: number }>;
  list(): readonly PublicApiKey[];
  authenticate(key: string): { keyId: string; name: string; role: Role } | undefined;
  /** Reads the key stream now (what the timer does). */
  refresh(): Promise<void>;
  /** Refreshes every KEY_REFRESH_MS until `stop`. */
  start(onError: (e: unknown) => void): void;
  stop(): void;
}

export const openApiKeys = async (deps: CommandDeps): Promise<PlatformApiKeys> => {
  const book = createApiKeyBook(deps.ledger);
  await book.refresh();
  let timer: NodeJS.Timeout | undefined;
  const issue = async (input: unknown, origin: CommandOrigin, bootstrap: boolean, key = newApiKeySecret()): Promise<IssuedApiKey> => {
    const issued = await issueApiKey(deps, { input, keyHash: hashApiKey(key), bootstrap }, origin);
    await book.refresh();
    return { ...issued, key };
  };
  return {
    issue: (input, origin) => issue(input, origin, false),
    async issueFirstAdminKey(origin, given) {
      await book.refresh();
      if (book.list().length > 0) return undefined;
      return issue({ name: 'first admin', role: 'admin' }, origin, true, given);
    },
    async revoke(keyId, reason, origin) {
      const result = await revokeApiKey(deps, keyId, reason, origin);
      await book.refresh();
      return result;
    },
    list: () => book.list().map(({ keyId, name, role, revoked, position, revokedPosition }) => ({ keyId, name, role, revoked, position, revokedPosition })),
    authenticate(key) {
      const found = book.activeByHash(hashApiKey(key));
      return found === undefined ? undefined : { keyId: found.keyId, name: found.name, role: found.role };
    },
    refresh: () => book.refresh(),
    start(onError) {
      timer ??= setInterval(() => book.refresh().catch(onError), KEY_REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
};

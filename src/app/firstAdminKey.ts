/**
 * The first start of a platform without any API key makes an admin key, writes it to
 * `admin-key` in the data folder (mode 0600, readable by the owner only) and says so once with the
 * key; later starts say where the file is. Without it nobody could make the next key over the API.
 * Two processes starting together on one ledger make one key: the command refuses a second.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isCommandRejectedError, isExpectedVersionConflictError } from '../domain/errors.js';
import type { PlatformApiKeys } from './apiKeys.js';

export const ADMIN_KEY_FILE = 'admin-key';
const ORIGIN = { actor: 'system:first-start', correlationId: 'first-admin-key', source: 'start' };

/** What to tell the operator about the admin key: the key itself on the first start only. */
export const ensureFirstAdminKey = async (keys: PlatformApiKeys, dataDir: string): Promise<string> => {
  const file = path.join(dataDir, ADMIN_KEY_FILE);
  let issued;
  try {
    issued = await keys.issueFirstAdminKey(ORIGIN);
  } catch (e) {
    // Another process made the first key between our read and our append.
    if (!isCommandRejectedError(e) && !isExpectedVersionConflictError(e)) throw e;
  }
  if (issued === undefined) {
    return existsSync(file)
      ? `admin key: in ${file} (made on the first start; \`tickvault keys create\` makes more)`
      : `API keys: ${keys.list().filter((k) => !k.revoked).length} active; \`tickvault keys create --role R --name N\` makes one`;
  }
  writeFileSync(file, `${issued.key}\n`, { mode: 0o600 });
  // The mode above applies to a new file only; a file left from an earlier ledger keeps its own.
  chmodSync(file, 0o600);
  return `admin key (shown once; stored in ${file}, mode 0600): ${issued.key}\n  use it as: Authorization: Bearer <key>`;
};

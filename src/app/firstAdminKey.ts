/**
 * The first start of a platform without any API key makes an admin key, writes it to
 * `admin-key` in the data folder (mode 0600, readable by the owner only) and says so once with the
 * key; later starts say where the file is. Without it nobody could make the next key over the API.
 * Two processes starting together on one ledger make one key: the command refuses a second.
 * Where the operator hands the key in (`--admin-key-file`, such as a Kubernetes Secret), that key
 * is issued instead, and neither written nor printed: the operator has it already.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { API_KEY_SHAPE } from '../adapters/system/apiKeySecret.js';
import { InvalidInputError, isCommandRejectedError, isExpectedVersionConflictError } from '../domain/errors.js';
import type { PlatformApiKeys } from './apiKeys.js';

export const ADMIN_KEY_FILE = 'admin-key';
const ORIGIN = { actor: 'system:first-start', correlationId: 'first-admin-key', source: 'start' };

/** The key in the operator's file, checked: a malformed one is refused, never replaced by a random key. */
const readGivenKey = (file: string): string => {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(`admin key file ${file} cannot be read (${(e as Error).message}): point --admin-key-file (TICKVAULT_ADMIN_KEY_FILE) at a readable file, or leave it empty to have a key made`);
  }
  const key = text.trim();
  if (!API_KEY_SHAPE.test(key)) throw new InvalidInputError(`admin key file ${file} does not hold a key: expected tvk_ and 43 base64url characters (A-Z a-z 0-9 _ -) on one line, found ${key.length} characters`);
  return key;
};

/**
 * What to tell the operator about the admin key: the key itself on the first start only, unless it
 * came from `givenKeyFile` ('' for none).
 */
export const ensureFirstAdminKey = async (keys: PlatformApiKeys, dataDir: string, givenKeyFile = ''): Promise<string> => {
  const given = givenKeyFile === '' ? undefined : readGivenKey(givenKeyFile);
  const file = path.join(dataDir, ADMIN_KEY_FILE);
  let issued;
  try {
    issued = await keys.issueFirstAdminKey(ORIGIN, given);
  } catch (e) {
    // Another process made the first key between our read and our append.
    if (!isCommandRejectedError(e) && !isExpectedVersionConflictError(e)) throw e;
  }
  if (issued === undefined) {
    if (given !== undefined) return `admin key: issued before (this ledger has keys); ${givenKeyFile} is read on a ledger's first start only`;
    return existsSync(file)
      ? `admin key: in ${file} (made on the first start; \`tickvault keys create\` makes more)`
      : `API keys: ${keys.list().filter((k) => !k.revoked).length} active; \`tickvault keys create --role R --name N\` makes one`;
  }
  if (given !== undefined) return `admin key: the one in ${givenKeyFile}, issued on this first start as ${issued.keyId}`;
  writeFileSync(file, `${issued.key}\n`, { mode: 0o600 });
  // The mode above applies to a new file only; a file left from an earlier ledger keeps its own.
  chmodSync(file, 0o600);
  return `admin key (shown once; stored in ${file}, mode 0600): ${issued.key}\n  use it as: Authorization: Bearer <key>`;
};

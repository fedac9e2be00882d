/**
 * API keys as a client holds them: `tvk_` and 256 random bits in base64url (the prefix lets
 * secret scanners and people tell a tickvault key at a glance). Only the SHA-256 of a key is
 * ever stored; a presented key is hashed and looked up.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'tvk_';
const KEY_BYTES = 32;

export const newApiKeySecret = (): string => `${PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`;

/** The shape of a key newApiKeySecret makes: the prefix and 43 base64url characters (256 bits). */
export const API_KEY_SHAPE = /^tvk_[A-Za-z0-9_-]{43}$/;

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

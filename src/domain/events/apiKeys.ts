/**
 * API keys as facts: an issue and a revocation. The key itself is never in an event, only its
 * SHA-256 (hex), which is what a presented key is checked against; the actor who issued or revoked
 * it is the event's meta.actor.
 */
import * as t from 'io-ts';
import { Role } from '../access/roles.js';
import { NonEmptyString } from '../validation.js';

export const KeyIssuedData = t.type({ keyId: NonEmptyString, name: NonEmptyString, role: Role, keyHash: NonEmptyString });
export type KeyIssuedData = t.TypeOf<typeof KeyIssuedData>;

export const KeyRevokedData = t.type({ keyId: NonEmptyString, name: NonEmptyString, role: Role, reason: t.string });
export type KeyRevokedData = t.TypeOf<typeof KeyRevokedData>;

/**
 * The hash chain shared by every ledger adapter:
 * hash = SHA-256(prevHash ‖ canonical bytes of the event), genesis prevHash = 64 zeros.
 */
import { hash } from 'node:crypto';
import { canonicalEventBytes } from '../../domain/events/canonical.js';

/**
 * SHA-256(prevHash ‖ canonical bytes), from bytes a writer has already built. The one-shot
 * `hash` costs half of a createHash object per event, which shows on the ingest path.
 */
export const hashBytes = (prevHash: string, canonicalBytes: string): string => hash('sha256', prevHash + canonicalBytes, 'hex');
import { GENESIS_HASH, type RecordedEvent } from '../../domain/events/envelope.js';
import type { VerifyResult } from '../../domain/ports.js';

export const hashEvent = (prevHash: string, e: Omit<RecordedEvent, 'hash' | 'prevHash'>): string =>
  hashBytes(prevHash, canonicalEventBytes(e));

/** A stored event that could not be read back (its data or meta no longer parses), and why. */
export interface UnreadableEvent {
  readonly position: number;
  readonly unreadable: string;
}

/** Verifies pages of stored events in position order; stops at the first mismatch or unreadable event. */
export const createChainVerifier = () => {
  let prevHash = GENESIS_HASH;
  let expectedPosition = 1;
  let checked = 0;
  return {
    /** Returns a failure for the first bad event in `events`, or undefined when all match. */
    check(events: ReadonlyArray<RecordedEvent | UnreadableEvent>): Extract<VerifyResult, { ok: false }> | undefined {
      for (const e of events) {
        if (e.position !== expectedPosition) {
          return { ok: false, checked, position: expectedPosition, reason: `position ${expectedPosition} is missing (next stored is ${e.position})` };
        }
        if ('unreadable' in e) return { ok: false, checked, position: e.position, reason: e.unreadable };
        if (e.prevHash !== prevHash) {
          return { ok: false, checked, position: e.position, reason: 'prevHash does not link to the previous event\'s hash' };
        }
        const h = hashEvent(prevHash, e);
        if (h !== e.hash) {
          return { ok: false, checked, position: e.position, reason: 'stored hash does not match the event\'s content' };
        }
        prevHash = e.hash;
        expectedPosition++;
        checked++;
      }
      return undefined;
    },
    get checked() {
      return checked;
    },
    get head() {
      return { position: expectedPosition - 1, hash: prevHash };
    },
  };
};

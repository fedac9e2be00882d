/**
 * The Ledger port's reads answered from decoded blocks, whatever database they came from: each
 * ledger finds the blocks (its indexes), these pick the events out of them.
 */
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import { leafHash, type Hash } from '../merkle/rfc6962.js';
import type { VerifySegment } from '../tree/treeVerifier.js';
import type { BlockEvent } from './blockCodec.js';
import { canonicalBytesAt, lastOf, MalformedBlockError, recordedEventsOf, type StoredBlock } from './storedBlock.js';

/** Events with position > after, from blocks in position order, at most `limit`. */
export const eventsAfter = (blocks: Iterable<StoredBlock>, after: number, limit: number): RecordedEvent[] => {
  const out: RecordedEvent[] = [];
  if (limit <= 0) return out;
  for (const b of blocks) {
    const from = Math.max(0, after + 1 - b.first);
    if (from >= b.events.length) continue;
    out.push(...recordedEventsOf(b, from, Math.min(b.events.length, from + limit - out.length)));
    if (out.length >= limit) break;
  }
  return out;
};

/** The events of `stream` at or before `through`, from the blocks (in order) that hold it. */
export const eventsOfStream = (blocks: Iterable<StoredBlock>, stream: string, through: number): RecordedEvent[] => {
  const out: RecordedEvent[] = [];
  for (const b of blocks) {
    b.events.forEach((e, i) => {
      if (e.stream === stream && b.first + i <= through) out.push(...recordedEventsOf(b, i, i + 1));
    });
  }
  return out;
};

/** Events of the wanted types with position > after, from blocks in position order, at most `limit`. */
export const eventsOfTypes = (blocks: Iterable<StoredBlock>, after: number, wanted: ReadonlySet<string>, limit: number): RecordedEvent[] => {
  const out: RecordedEvent[] = [];
  for (const b of blocks) {
    for (let i = Math.max(0, after + 1 - b.first); i < b.events.length && out.length < limit; i++) {
      if (wanted.has(b.events[i]!.type)) out.push(...recordedEventsOf(b, i, i + 1));
    }
    if (out.length >= limit) break;
  }
  return out;
};

/** The first event among the candidate blocks (those an index named) for which `matches` holds. */
export const firstMatch = (candidates: Iterable<StoredBlock>, matches: (e: BlockEvent) => boolean): RecordedEvent | undefined => {
  for (const b of candidates) {
    const i = b.events.findIndex(matches);
    if (i >= 0) return recordedEventsOf(b, i, i + 1)[0];
  }
  return undefined;
};

/** Which of `keys` the candidate blocks hold as dedup keys. */
export const dedupKeysAmong = (candidates: Iterable<StoredBlock>, keys: ReadonlySet<string>): Set<string> => {
  const found = new Set<string>();
  for (const b of candidates) for (const e of b.events) if (e.dedupKey !== null && keys.has(e.dedupKey)) found.add(e.dedupKey);
  return found;
};

/**
 * The events the tree verifier checks for positions in (after, through], as segments of blocks in
 * position order that are decoded as they are iterated (none past the one holding `through`). A
 * block that does not decode ends the segments: the events before it are checked first, so the
 * first position that does not match is the one named.
 */
export const verifierSegmentsOf = (blocks: Iterable<StoredBlock>, after: number, through: number): { segments: VerifySegment[]; malformed: MalformedBlockError | undefined } => {
  const segments: VerifySegment[] = [];
  try {
    for (const b of blocks) {
      if (b.first > through) break;
      const from = Math.max(0, after + 1 - b.first);
      const to = Math.min(b.events.length, through + 1 - b.first);
      if (to > from) segments.push({ block: b, from, to });
      if (lastOf(b) >= through) break;
    }
  } catch (e) {
    if (!(e instanceof MalformedBlockError)) throw e;
    return { segments, malformed: e };
  }
  return { segments, malformed: undefined };
};

/** Leaves of positions (start, start + size], recomputed from the events of blocks in position order: leaves are not stored. */
export const leavesOf = (blocks: Iterable<StoredBlock>, start: number, size: number): Hash[] => {
  const leaves: Hash[] = [];
  for (const b of blocks) {
    for (let i = Math.max(0, start + 1 - b.first); i < b.events.length && b.first + i <= start + size; i++) leaves.push(leafHash(canonicalBytesAt(b, i)));
    if (lastOf(b) >= start + size) break;
  }
  return leaves;
};

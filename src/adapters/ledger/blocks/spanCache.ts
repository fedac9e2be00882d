/**
 * The spans of blocks (storedSpanOf: the frames holding a few positions) that proofs read lately,
 * the same for every ledger: a proof reads its event's span, then its 16-leaf group, which lies
 * in the same frame, so the second read is answered here without reading the block again.
 */
import { lastOf, storedSpanOf, type StoredBlock } from './storedBlock.js';

export interface StoredBlockRow {
  readonly first: number;
  readonly recordedAt: number;
  readonly body: Uint8Array;
}

export interface SpanCache {
  /** A kept span holding positions [position, through], if any. */
  covering(position: number, through: number): StoredBlock | undefined;
  /**
   * Positions [position, through] of the block stored in `row` (clamped to it), undefined when
   * it does not hold `position`: the block itself when `whole` has it decoded, else the frames
   * holding them, decoded and kept.
   */
  spanOf(row: StoredBlockRow, position: number, through: number, whole: StoredBlock | undefined): StoredBlock | undefined;
  clear(): void;
}

export const createSpanCache = (capacity: number): SpanCache => {
  const spans: StoredBlock[] = [];
  return {
    covering: (position, through) => spans.find((b) => b.first <= position && lastOf(b) >= through),
    spanOf(row, position, through, whole) {
      if (whole !== undefined) return lastOf(whole) >= position ? whole : undefined;
      const span = storedSpanOf(row.first, row.recordedAt, row.body, position, through);
      if (lastOf(span) < position) return undefined;
      spans.push(span);
      if (spans.length > capacity) spans.shift();
      return span;
    },
    clear: () => void (spans.length = 0),
  };
};

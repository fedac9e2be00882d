/**
 * The stored form of one append group: its events in one compact block. Everything an event's
 * canonical bytes (its leaf) are made of is kept exactly as hashed, so the bytes, and with them
 * the leaf, are reproduced from the block alone:
 * - position is the block's first position plus the event's index;
 * - type + schema version, stream and meta come from per-block dictionaries, each stream's
 *   version from its first version (versions of one stream within a group are consecutive);
 * - data and meta are the canonical JSON text that was hashed, never re-serialised;
 * - a LEAF_PREFIX_BYTES prefix of each leaf hash (blockEvent.ts).
 *
 * Two formats, told apart by each body's first bytes: new blocks are written framed
 * (framedBlock.ts: independent frames of 64 events behind an offset table, so one event costs one
 * frame); blocks written before that hold the group in one deflate stream (wholeBlock.ts) and
 * are still read, verified and proved from. A ledger may hold both, in any order.
 */
import type { DecodedBlock } from './blockEvent.js';
import { decodeFramedSpan, isFramedBlock, type DecodedSpan } from './framedBlock.js';
import { decodeWholeBlock } from './wholeBlock.js';

export { BLOCK_DEFLATE_LEVEL, LEAF_PREFIX_BYTES, type BlockEvent, type DecodedBlock } from './blockEvent.js';
export { compressBlock, encodeFramedBlock, framedBlockPlan, FRAME_EVENTS, type DecodedSpan } from './framedBlock.js';

/** The format a stored body is written in: 2 framed, 1 one deflate stream. */
export const blockFormatOf = (body: Uint8Array): 1 | 2 => (isFramedBlock(body) ? 2 : 1);

export const decodeBlock = (body: Uint8Array): DecodedBlock => (isFramedBlock(body) ? decodeFramedSpan(body, 0, Infinity) : decodeWholeBlock(body));

/**
 * At least the events at indexes [from, to) of the block: of a framed block only the frames that
 * hold them are decoded; a block of the earlier format decodes whole (it has no frames).
 */
export const decodeBlockSpan = (body: Uint8Array, from: number, to: number): DecodedSpan => (isFramedBlock(body) ? decodeFramedSpan(body, from, to) : { from: 0, ...decodeWholeBlock(body) });

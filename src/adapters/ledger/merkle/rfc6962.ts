/**
 * The two hashes of an RFC 6962 / RFC 9162 Merkle tree. Domain separation (0x00 for leaves,
 * 0x01 for interior nodes) keeps a leaf from ever being passed off as a node and vice versa.
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 ‖ bytes): the hash of one entry, here one event's canonical bytes. */
export const leafHash = (bytes: Uint8Array | string): Hash => createHash('sha256').update(LEAF_PREFIX).update(bytes).digest();

/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Hash, right: Hash): Hash => createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

/**
 * What every stored block format shares: the event as a block holds it, the leaf prefixes kept
 * beside it, and the error a block that does not decode is refused with.
 */

/** One event as a block holds it: what its canonical bytes are made of, apart from its position. */
export interface BlockEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly stream: string;
  readonly streamVersion: number;
  /** Canonical JSON, exactly as hashed. */
  readonly dataJson: string;
  readonly metaJson: string;
  readonly dedupKey: string | null;
}

/**
 * Bytes of each leaf hash's prefix kept per event: not for the tree (the stored tiles and
 * checkpoints are what vouch for it) but so that `verify` names the exact altered event rather
 * than its 256-leaf tile.
 */
export const LEAF_PREFIX_BYTES = 4;

/**
 * Deflate level: 1 is several times faster than the default and compresses trades within a few
 * per cent of it (measured on simulator blocks of 1,000 trades: level 1 ≈ 0.6 ms per block).
 */
export const BLOCK_DEFLATE_LEVEL = 1;

export interface DecodedBlock {
  readonly events: readonly BlockEvent[];
  /** LEAF_PREFIX_BYTES per event, in order. */
  readonly leafPrefixes: Buffer;
}

export const malformedBlock = (why: string): Error =>
  new Error(`a stored ledger block is malformed (${why}): it was altered outside the ledger; run \`tickvault verify\``);

/** A stored [type, schema version] pair, the key of a block's dictionary of kinds. */
export const kindKey = (e: Pick<BlockEvent, 'type' | 'schemaVersion'>): string => `${e.schemaVersion} ${e.type}`;

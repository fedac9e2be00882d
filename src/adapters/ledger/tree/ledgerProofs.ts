/**
 * Inclusion and consistency proofs over a ledger's stored tree, the same for every adapter: the
 * adapter says how to read a subtree root, a checkpoint and an event's stored bytes.
 */
import { InvalidInputError, NotFoundError } from '../../../domain/errors.js';
import type { ConsistencyProof, InclusionProof, LedgerCheckpoint } from '../../../domain/ports.js';
import { consistencyPath, inclusionPath, type SubtreeSource } from '../merkle/proofBuilder.js';

export interface ProofStorage {
  readonly subtree: SubtreeSource;
  latestCheckpoint(): Promise<LedgerCheckpoint | undefined>;
  /** The smallest checkpoint of at least `size` events. */
  checkpointAt(size: number): Promise<LedgerCheckpoint | undefined>;
  /** The canonical bytes of the stored event at `position`. */
  eventBytesAt(position: number): Promise<string | undefined>;
}

export interface LedgerProofs {
  inclusionProof(position: number, treeSize?: number): Promise<InclusionProof>;
  consistencyProof(from: number, to: number): Promise<ConsistencyProof>;
}

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

const wholeNumber = (name: string, n: number): void => {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidInputError(`${name} must be a whole number ≥ 0, not ${n}`);
};

export const createLedgerProofs = (storage: ProofStorage): LedgerProofs => {
  const exactCheckpoint = async (size: number): Promise<LedgerCheckpoint> => {
    const c = await storage.checkpointAt(size);
    if (c?.size !== size) throw new NotFoundError(`no signed checkpoint of exactly ${size} events${c === undefined ? '' : ` (the next is of ${c.size})`}: ask for one the ledger signed`);
    return c;
  };
  return {
    async inclusionProof(position, treeSize) {
      wholeNumber('position', position);
      const checkpoint = treeSize === undefined ? await storage.latestCheckpoint() : await storage.checkpointAt(Math.max(treeSize, position));
      if (checkpoint === undefined || position < 1 || position > checkpoint.size) {
        throw new NotFoundError(`no event at position ${position} in a signed checkpoint${treeSize === undefined ? '' : ` of at least ${treeSize} events`}`);
      }
      const eventBytes = await storage.eventBytesAt(position);
      if (eventBytes === undefined) throw new NotFoundError(`the event at position ${position} is not stored: run \`tickvault verify\``);
      const path = await inclusionPath(storage.subtree, position - 1, checkpoint.size);
      return { position, leafIndex: position - 1, eventBytes, path: hex(path), checkpoint };
    },
    async consistencyProof(from, to) {
      wholeNumber('from', from);
      wholeNumber('to', to);
      if (from > to) throw new InvalidInputError(`a consistency proof goes from a smaller tree to a larger one, not from ${from} to ${to}`);
      const [older, newer] = await Promise.all([exactCheckpoint(from), exactCheckpoint(to)]);
      return { from: older, to: newer, path: hex(await consistencyPath(storage.subtree, from, to)) };
    },
  };
};

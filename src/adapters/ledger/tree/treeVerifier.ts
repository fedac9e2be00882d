/**
 * Verification of a stored ledger, page by page in position order, the same for every adapter:
 * each event's leaf is recomputed from its stored bytes and compared with what is stored of its leaf hash,
 * the tree is rebuilt from the recomputed leaves and compared with every stored tile it closes
 * (group roots included),
 * and every stored checkpoint must carry a valid signature by the ledger's key over exactly the
 * root the events give at its size. The first mismatch is named by position.
 *
 * Events are taken straight from their decoded blocks (no row object per event: collecting
 * their garbage was 13% of verification's CPU profile); the row of an
 * event is built only to explain why it failed.
 */
import type { LedgerCheckpoint, VerifiedTree, VerifyResult } from '../../../domain/ports.js';
import { parseVerifierKey, verifyCheckpoint, type VerifierKey } from '../../../proof-verifier/verifyProof.js';
import { canonicalBytesAt, eventRowOf, matchesStoredPrefix, type StoredBlock } from '../blocks/storedBlock.js';
import { leafHash, type Hash } from '../merkle/rfc6962.js';
import { createTreeFrontier } from '../merkle/treeFrontier.js';
import { alteredRowReason } from '../sealEvent.js';
import { GROUP_LEVEL, isStoredLevel, TILE_LEVEL, type Tile } from './treeGrowth.js';

export type VerifyFailure = Extract<VerifyResult, { ok: false }>;

/** The events at indexes [from, to) of one stored block. */
export interface VerifySegment {
  readonly block: StoredBlock;
  readonly from: number;
  readonly to: number;
}

/** What the adapter reads for one page: its events, and the tiles and checkpoints that end inside it. */
export interface VerifyPage {
  /** In position order, continuing the last page. */
  readonly segments: readonly VerifySegment[];
  /** Stored tiles whose last leaf is in the page, keyed `${level}/${index}`. */
  readonly tiles: ReadonlyMap<string, Hash>;
  /** Stored checkpoints whose size is in the page's positions, by size. */
  readonly checkpoints: readonly LedgerCheckpoint[];
}

export const tileKey = (level: number, index: number): string => `${level}/${index}`;

/** The tile levels and index ranges whose last leaf lies in positions (after, through]: what a page must fetch. */
export const tileRangesEndingIn = (after: number, through: number): Array<{ level: number; from: number; to: number }> => {
  const ranges = [];
  for (let level = GROUP_LEVEL; 2 ** level <= through; level++) {
    if (!isStoredLevel(level)) continue;
    const size = 2 ** level;
    // A tile of index i ends at leaf (i + 1)·size, i.e. position (i + 1)·size.
    const from = Math.floor(after / size);
    const to = Math.floor(through / size) - 1;
    if (to >= from) ranges.push({ level, from, to });
  }
  return ranges;
};

export const createTreeVerifier = (verifierKey: string, from: VerifiedTree = { size: 0, frontier: [] }) => {
  const key = parseVerifierKey(verifierKey);
  if (!key.ok) throw new Error(`the ledger's verifier key is unusable: ${key.reason}`);
  const trusted: VerifierKey = key.key;
  const frontier = createTreeFrontier({ size: from.size, hashes: from.frontier.map((h) => Buffer.from(h, 'hex')) });
  let checked = 0;
  let lastCheckpoint: LedgerCheckpoint | undefined;

  const checkCheckpoint = (c: LedgerCheckpoint, root: Hash): VerifyFailure | undefined => {
    const fail = (reason: string): VerifyFailure => ({ ok: false, checked, position: c.size, reason: `checkpoint of ${c.size} events: ${reason}` });
    const note = verifyCheckpoint(c.note, trusted);
    if (!note.ok) return fail(note.reason);
    if (note.checkpoint.size !== c.size || note.checkpoint.root.toString('hex') !== c.root) return fail('the signed note does not say the size and root stored beside it');
    if (!note.checkpoint.root.equals(root)) return fail('its root is not the root of the stored events');
    lastCheckpoint = c;
    return undefined;
  };

  return {
    /**
     * Checks one page (continuing the last): a failure, or undefined when it all matches. A leaf
     * is checked against the prefix its block keeps (enough to name the altered event; the tiles
     * and checkpoints are what vouch for the tree).
     */
    check(page: VerifyPage): VerifyFailure | undefined {
      let nextCheckpoint = 0;
      let position = 0;
      let bad: Tile | undefined;
      // One callback for the page (not a closure per event): told of every subtree a leaf closes.
      // A group root (GROUP_LEVEL) may be missing (ledgers written before they were stored): proofs
      // then hash the group's leaves. One that is stored must be right: a proof would be built from it.
      const closed = (level: number, hash: Hash): void => {
        if (!isStoredLevel(level) || bad !== undefined) return;
        const index = position / 2 ** level - 1;
        const stored = page.tiles.get(tileKey(level, index));
        if (stored === undefined ? level >= TILE_LEVEL : !stored.equals(hash)) bad = { level, index, hash };
      };
      for (const { block, from, to } of page.segments) {
        for (let i = from; i < to; i++) {
          position = block.first + i;
          const expected = frontier.size + 1;
          if (position !== expected) return { ok: false, checked, position: expected, reason: `position ${expected} is missing (next stored is ${position})` };
          const leaf = leafHash(canonicalBytesAt(block, i));
          if (!matchesStoredPrefix(block, i, leaf)) return { ok: false, checked, position, reason: alteredRowReason(eventRowOf(block, i)) };
          frontier.append(leaf, closed);
          if (bad !== undefined) {
            const first = bad.index * 2 ** bad.level + 1;
            return { ok: false, checked, position: first, reason: `events ${first}..${position} do not hash to the stored subtree root (level ${bad.level}, index ${bad.index})` };
          }
          checked++;
          const c = page.checkpoints[nextCheckpoint];
          if (c?.size === position) {
            nextCheckpoint++;
            const failure = checkCheckpoint(c, frontier.root());
            if (failure !== undefined) return failure;
          }
        }
      }
      return undefined;
    },
    /** A checkpoint beyond every stored event (a deleted tail): always a failure. */
    beyondHead(c: LedgerCheckpoint): VerifyFailure {
      return { ok: false, checked, position: frontier.size + 1, reason: `a checkpoint of ${c.size} events is signed, but only ${frontier.size} events are stored` };
    },
    get checked() {
      return checked;
    },
    get size() {
      return frontier.size;
    },
    result(): Extract<VerifyResult, { ok: true }> {
      const state = frontier.state();
      return {
        ok: true,
        checked,
        head: { position: state.size, root: frontier.root().toString('hex') },
        checkpoint: lastCheckpoint,
        verified: { size: state.size, frontier: state.hashes.map((h) => h.toString('hex')) },
      };
    },
  };
};

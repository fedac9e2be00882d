/**
 * Deciding one group of appends, given the state of the ledger it continues: per call, the
 * expected-version check (a conflict fails only that call), dedup (keys stored before or earlier
 * in the group), then stream versions, positions and leaf hashes; then the tree grows by the
 * group's leaves and is signed, and the accepted events are laid out as one block
 * (blocks/blockLayout.ts). Pure apart from the version map, the dedup marks and the tree it
 * advances, so the PostgreSQL ledger can decide a group under the head lock or ahead of it,
 * against the state it predicts.
 */
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, LedgerHead } from '../../../domain/ports.js';
import { compressBlock } from '../blocks/blockCodec.js';
import { createBlockLayout, type LaidOutBlock } from '../blocks/blockLayout.js';
import { scopedNumberOf, type DedupMarks } from '../blocks/dedupMarks.js';
import type { CheckpointSigner } from '../checkpoint/checkpointSigner.js';
import type { TreeFrontier } from '../merkle/treeFrontier.js';
import { createMetaStamper, sealEvent, versionMatches } from '../sealEvent.js';
import { growTree, type GrownTree } from '../tree/treeGrowth.js';
import { intArrayLiteral, textArrayLiteral } from './arrayLiteral.js';

export interface PendingAppend {
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions | undefined;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

export type CallOutcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

export interface DecidedGroup {
  /** One per call, in call order. */
  readonly outcomes: readonly CallOutcome[];
  readonly end: LedgerHead;
  readonly recordedAt: number;
  /** The block of the accepted events, with its index rows (empty when the group stores nothing). */
  readonly block: LaidOutBlock;
  /** The dedup keys the block stores. */
  readonly keys: readonly string[];
  /** The tiles and signed checkpoint of the tree after the group (undefined when it stores nothing). */
  readonly tree: GrownTree | undefined;
  /** The tree's right edge after the group, as the head row keeps it. */
  readonly frontier: Buffer;
}

/** The frontier as the head row stores it: its hashes concatenated, largest subtree first. */
export const frontierBytes = (tree: TreeFrontier): Buffer => Buffer.concat(tree.state().hashes);

export const frontierHashes = (bytes: Buffer): Buffer[] => {
  const hashes: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 32) hashes.push(bytes.subarray(i, i + 32));
  return hashes;
};

/** The streams (appended to or expected), dedup keys and their scopes (dedupMarks.ts) a group carries. */
export const touchedBy = (calls: readonly PendingAppend[]): { streams: Set<string>; keys: Set<string>; scopes: Set<string> } => {
  const streams = new Set<string>();
  const keys = new Set<string>();
  const scopes = new Set<string>();
  for (const c of calls) {
    for (const s of Object.keys(c.options?.expected ?? {})) streams.add(s);
    for (const e of c.events) {
      streams.add(e.stream);
      if (e.dedupKey === undefined) continue;
      keys.add(e.dedupKey);
      const scope = scopedNumberOf(e.dedupKey)?.scope;
      if (scope !== undefined) scopes.add(scope);
    }
  }
  return { streams, keys, scopes };
};

/**
 * `versions` holds the current version of every stream the group touches (0 for none) and is
 * advanced in place to the versions after the group; `storedKeys` are the group's dedup keys
 * already in the ledger; `marks` hold the stored high-water marks of the group's scopes and note
 * the keys the block takes; `tree` is the tree of `start` and grows in place.
 */
export const decideGroup = (
  calls: readonly PendingAppend[],
  start: LedgerHead,
  recordedAt: number,
  versions: Map<string, number>,
  storedKeys: ReadonlySet<string>,
  marks: DedupMarks,
  tree: TreeFrontier,
  signer: CheckpointSigner,
): DecidedGroup => {
  let position = start.position;
  const seen = new Set(storedKeys);
  const keys: string[] = [];
  const stamp = createMetaStamper(recordedAt);
  const layout = createBlockLayout(marks);
  const outcomes: CallOutcome[] = [];
  for (const call of calls) {
    const conflict = Object.entries(call.options?.expected ?? {}).find(([s, expected]) => !versionMatches(expected, versions.get(s) ?? 0));
    if (conflict !== undefined) {
      const [s, expected] = conflict;
      outcomes.push({ ok: false, error: new ExpectedVersionConflictError(s, expected, versions.get(s) ?? 0) });
      continue;
    }
    const appended: RecordedEvent[] = [];
    const duplicates: NewEvent[] = [];
    for (const e of call.events) {
      if (e.dedupKey !== undefined) {
        if (seen.has(e.dedupKey)) {
          duplicates.push(e);
          continue;
        }
        seen.add(e.dedupKey);
        keys.push(e.dedupKey);
      }
      const version = (versions.get(e.stream) ?? 0) + 1;
      versions.set(e.stream, version);
      const s = sealEvent(e, position + 1, version, stamp(e.meta));
      position = s.recorded.position;
      layout.add(s);
      appended.push(s.recorded);
    }
    outcomes.push({ ok: true, result: { appended, duplicates, head: position } });
  }
  const block = layout.finish();
  const grown = block.count === 0 ? undefined : growTree(tree, block.leaves, recordedAt, signer);
  const end = grown === undefined ? start : { position, root: grown.checkpoint.root };
  return { outcomes, end, recordedAt, block, keys, tree: grown, frontier: frontierBytes(tree) };
};

/** The parameters of APPEND_BLOCK for a decided group continuing `start`: the block's body is compressed here. */
export const appendParams = (start: LedgerHead, g: DecidedGroup & { tree: GrownTree }): unknown[] => {
  const { block } = g;
  const tiles = g.tree.tiles;
  return [
    start.position,
    start.root,
    g.end.position,
    g.end.root,
    g.frontier,
    g.recordedAt,
    block.count,
    textArrayLiteral(block.types),
    compressBlock(block.raw),
    intArrayLiteral(block.idTimes),
    intArrayLiteral([...block.keyHashes]),
    textArrayLiteral(block.streams.map(([s]) => s)),
    intArrayLiteral(block.streams.map(([, v]) => v)),
    textArrayLiteral(block.ranges.map(([scope]) => scope)),
    intArrayLiteral(block.ranges.map(([, lo]) => lo)),
    intArrayLiteral(block.ranges.map(([, , hi]) => hi)),
    intArrayLiteral(tiles.map((t) => t.level)),
    intArrayLiteral(tiles.map((t) => t.index)),
    textArrayLiteral(tiles.map((t) => t.hash.toString('hex'))),
    g.tree.checkpoint.note,
  ];
};

/**
 * Deciding one group of appends, given the state of the ledger it continues: per call, the
 * expected-version check (a conflict fails only that call), dedup (keys stored before or earlier
 * in the group), then stream versions, positions and leaf hashes; then the tree grows by the
 * group's leaves and is signed. Pure apart from the version map and the tree it advances, so the
 * PostgreSQL ledger can decide a group under the head lock or ahead of it, against the state it
 * predicts.
 */
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, LedgerHead } from '../../../domain/ports.js';
import type { CheckpointSigner } from '../checkpoint/checkpointSigner.js';
import type { TreeFrontier } from '../merkle/treeFrontier.js';
import { createMetaStamper, sealEvent, versionMatches, type SealedEvent } from '../sealEvent.js';
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
  /** Events to store, in position order. */
  readonly rows: readonly SealedEvent[];
  /** One per call, in call order. */
  readonly outcomes: readonly CallOutcome[];
  readonly end: LedgerHead;
  readonly recordedAt: number;
  /** New version of every stream the stored events touch. */
  readonly touched: ReadonlyMap<string, number>;
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

/** The streams (appended to or expected) and dedup keys a group carries. */
export const touchedBy = (calls: readonly PendingAppend[]): { streams: Set<string>; keys: Set<string> } => {
  const streams = new Set<string>();
  const keys = new Set<string>();
  for (const c of calls) {
    for (const s of Object.keys(c.options?.expected ?? {})) streams.add(s);
    for (const e of c.events) {
      streams.add(e.stream);
      if (e.dedupKey !== undefined) keys.add(e.dedupKey);
    }
  }
  return { streams, keys };
};

/**
 * `versions` holds the current version of every stream the group touches (0 for none) and is
 * advanced in place to the versions after the group; `storedKeys` are the group's dedup keys
 * already in the ledger; `tree` is the tree of `start` and grows in place.
 */
export const decideGroup = (
  calls: readonly PendingAppend[],
  start: LedgerHead,
  recordedAt: number,
  versions: Map<string, number>,
  storedKeys: ReadonlySet<string>,
  tree: TreeFrontier,
  signer: CheckpointSigner,
): DecidedGroup => {
  let position = start.position;
  const seen = new Set(storedKeys);
  const stamp = createMetaStamper(recordedAt);
  const rows: SealedEvent[] = [];
  const outcomes: CallOutcome[] = [];
  const touched = new Map<string, number>();
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
      }
      const version = (versions.get(e.stream) ?? 0) + 1;
      versions.set(e.stream, version);
      touched.set(e.stream, version);
      const s = sealEvent(e, position + 1, version, stamp(e.meta));
      position = s.recorded.position;
      rows.push(s);
      appended.push(s.recorded);
    }
    outcomes.push({ ok: true, result: { appended, duplicates, head: position } });
  }
  const grown = rows.length === 0 ? undefined : growTree(tree, rows.map((r) => r.leaf), recordedAt, signer);
  const end = grown === undefined ? start : { position, root: grown.checkpoint.root };
  return { rows, outcomes, end, recordedAt, touched, tree: grown, frontier: frontierBytes(tree) };
};

/**
 * The parameters of APPEND_SEALED for a decided group continuing `start`, arrays as literals
 * (arrayLiteral.ts). The events of one call share their meta, so each distinct meta is sent once
 * with an index per event; positions follow from the head and are derived by the statement.
 */
export const appendParams = (start: LedgerHead, g: DecidedGroup & { tree: GrownTree }): unknown[] => {
  const col = <T>(f: (s: SealedEvent) => T): T[] => g.rows.map(f);
  const metas: string[] = [];
  const metaOf: number[] = [];
  for (const s of g.rows) {
    if (metas[metas.length - 1] !== s.metaJson) metas.push(s.metaJson);
    metaOf.push(metas.length); // PostgreSQL arrays count from 1
  }
  const tiles = g.tree.tiles;
  return [
    start.position,
    start.root,
    g.end.position,
    g.end.root,
    g.frontier,
    g.recordedAt,
    textArrayLiteral(col((s) => s.recorded.id)),
    textArrayLiteral(col((s) => s.recorded.type)),
    intArrayLiteral(col((s) => s.recorded.schemaVersion)),
    textArrayLiteral(col((s) => s.recorded.stream)),
    intArrayLiteral(col((s) => s.recorded.streamVersion)),
    textArrayLiteral(col((s) => s.dataJson)),
    textArrayLiteral(metas),
    intArrayLiteral(metaOf),
    textArrayLiteral(col((s) => s.recorded.dedupKey)),
    textArrayLiteral(col((s) => s.recorded.leafHash)),
    textArrayLiteral([...g.touched.keys()]),
    intArrayLiteral([...g.touched.values()]),
    intArrayLiteral(tiles.map((t) => t.level)),
    intArrayLiteral(tiles.map((t) => t.index)),
    textArrayLiteral(tiles.map((t) => t.hash.toString('hex'))),
    g.tree.checkpoint.note,
  ];
};

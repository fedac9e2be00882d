/**
 * The embedded ledger on SQLite (WAL, synchronous=FULL by default), written in blocks.
 *
 * Group commit: appends that arrive in the same event-loop turn, or while the block before is
 * being written, are decided together (a version conflict fails only its own call) and stored as
 * ONE block row (blocks/blockCodec.ts) in one transaction, one fsync, by a writer thread
 * (ledgerWriter.ts), while the main thread decides the next group. A caller's promise resolves
 * only after its block is committed. Each group's leaves grow the RFC 6962 tree kept as a frontier in memory; the tiles they complete and the
 * group's signed checkpoint are stored in the block's transaction. Leaf hashes are not stored:
 * a proof or verification recomputes them from the events in the blocks (at most 255 per proof,
 * the rest comes from tiles). Dedup keys cost no index probe while they rise (dedupMarks.ts).
 * Head, tree frontier and stream versions are cached; the newest events stay in memory for
 * subscribers at the tail; `verify` and proofs always read the database.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, Clock, Ledger, LedgerCheckpoint, LedgerHead, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import { createBlockLayout } from '../blocks/blockLayout.js';
import { dedupKeysAmong, eventsAfter, eventsOfStream, eventsOfTypes, firstMatch, leavesOf, verifierSegmentsOf } from '../blocks/blockReads.js';
import { createDedupMarks } from '../blocks/dedupMarks.js';
import { canonicalBytesAt, lastOf, type StoredBlock } from '../blocks/storedBlock.js';
import type { CheckpointSigner } from '../checkpoint/checkpointSigner.js';
import type { Hash } from '../merkle/rfc6962.js';
import { createTreeFrontier, frontierOf, type TreeFrontier } from '../merkle/treeFrontier.js';
import { createMetaStamper, sealEvent, versionMatches } from '../sealEvent.js';
import { createLedgerProofs } from '../tree/ledgerProofs.js';
import { createChunkedSubtrees, groupRootsFrom, groupTilesOf, isTiled, missingTile, rootOfLeaves, tileOf } from '../tree/storedSubtree.js';
import { growTree } from '../tree/treeGrowth.js';
import { createTreeVerifier, tileKey, tileRangesEndingIn } from '../tree/treeVerifier.js';
import { createBlockReader } from './blockReader.js';
import { startLedgerWriter } from './ledgerWriter.js';
import { IS_EVENT_ROW_FORMAT, IS_HASH_CHAIN_FORMAT, LEDGER_SCHEMA } from './schema.js';
import { createPageCache } from '../pageCache.js';
import { createRecentEvents } from '../recentEvents.js';
import { createSubscription } from '../subscription.js';
import { malformedAppend } from '../malformedAppend.js';

export interface SqliteLedgerOptions {
  /** File path, or ':memory:' for a throwaway ledger. */
  readonly path: string;
  readonly clock: Clock;
  /** Signs the checkpoint of every append group (the key in the data folder, signingKeyFile.ts). */
  readonly signer: CheckpointSigner;
  readonly synchronous?: 'FULL' | 'NORMAL';
}

interface CheckpointRow {
  size: number;
  root: Buffer;
  time: number;
  note: string;
}

const toCheckpoint = (r: CheckpointRow): LedgerCheckpoint => ({ size: r.size, root: r.root.toString('hex'), time: r.time, note: r.note });

interface PendingAppend {
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions | undefined;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

/** Groups of appends handed to the writer and not yet committed, at most: the backpressure on appenders. */
const MAX_IN_FLIGHT = 4;
/** Events per group commit, at most (a single larger call still forms one group). */
const GROUP_EVENTS = 1_000;

/** Events verified per read: large enough to amortise the query, small enough to yield often. */
const VERIFY_PAGE = 10_000;

/** How many of the newest events the ledger keeps in memory for subscribers at the tail. */
const RECENT_EVENTS = 20_000;
/** Full pages read from storage kept for other followers replaying the same stretch. */
const STORED_PAGES = 6;

const globEscape = (s: string): string => s.replace(/[*?[\]]/g, (c) => `[${c}]`);

/**
 * `:memory:` cannot be shared with the writer thread (each connection would get its own empty
 * database), so a throwaway ledger lives in a temporary file, removed when it is closed.
 */
const storageFor = (file: string): { path: string; discard: () => void } => {
  if (file !== ':memory:' && file !== '') return { path: file, discard: () => undefined };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickvault-ledger-'));
  return { path: path.join(dir, 'ledger.sqlite'), discard: () => rmSync(dir, { recursive: true, force: true }) };
};

/** Refuses a file written by an earlier storage format, naming the command that moves it. */
const refuseOlderFormat = (db: Database.Database, file: string): void => {
  const format = db.prepare(IS_HASH_CHAIN_FORMAT).get() !== undefined ? 'the hash-chain format' : db.prepare(IS_EVENT_ROW_FORMAT).get() !== undefined ? 'the one-row-per-event format' : undefined;
  if (format === undefined) return;
  db.close();
  throw new Error(`the ledger at ${file} is in ${format} of earlier versions: run \`tickvault migrate\` to re-record it as a transparency log written in blocks`);
};

export const openSqliteLedger = (options: SqliteLedgerOptions): Ledger => {
  const storage = storageFor(options.path);
  const db = new Database(storage.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  refuseOlderFormat(db, storage.path);
  db.exec(LEDGER_SCHEMA);
  const blocks = createBlockReader(db);

  const streamsGlob = db.prepare<[string], string>('SELECT name FROM streams WHERE name GLOB ? ORDER BY name').pluck();
  const tileAt = db.prepare<[number, number], Buffer>('SELECT hash FROM tree_tiles WHERE level = ? AND idx = ?').pluck();
  const tilesIn = db.prepare<[number, number, number], { idx: number; hash: Buffer }>('SELECT idx, hash FROM tree_tiles WHERE level = ? AND idx BETWEEN ? AND ?');
  const latestCheckpointRow = db.prepare<[], CheckpointRow>('SELECT size, root, time, note FROM checkpoints ORDER BY size DESC LIMIT 1');
  const checkpointFrom = db.prepare<[number], CheckpointRow>('SELECT size, root, time, note FROM checkpoints WHERE size >= ? ORDER BY size LIMIT 1');
  const checkpointsIn = db.prepare<[number, number], CheckpointRow>('SELECT size, root, time, note FROM checkpoints WHERE size > ? AND size <= ? ORDER BY size');

  /**
   * Leaves of positions (start, start + size], recomputed from the events: leaves are not stored.
   * A proof's group (16 leaves) lies in the frame its event bytes were just read from (frames are
   * aligned on the tree): that span is taken from the reader's cache, nothing is read again. Only
   * leaves that run past their block read whole blocks.
   */
  const leavesIn = (start: number, size: number): Hash[] => {
    const span = blocks.spanAt(start + 1, start + size);
    if (span !== undefined && lastOf(span) >= start + size) return leavesOf([span], start, size);
    return leavesOf(blocks.blocksFrom(start + 1), start, size);
  };

  const storedSubtree = (start: number, size: number): Hash => {
    if (!isTiled(size)) return rootOfLeaves(start, size, leavesIn(start, size));
    const { level, index } = tileOf(start, size);
    const tile = tileAt.get(level, index);
    if (tile === undefined) throw missingTile(start, size);
    return tile;
  };
  const smallSubtrees = createChunkedSubtrees({
    leaves: leavesIn,
    groupRoots(chunk) {
      const { level, from, to } = groupTilesOf(chunk);
      return groupRootsFrom(chunk, tilesIn.all(level, from, to));
    },
  });

  /**
   * The tree as stored, resumed from its tiles and the events after the last tile. It must end
   * exactly at the last signed checkpoint, with that checkpoint's root: a ledger that does not is
   * never extended (a new checkpoint would vouch for a tree that is not an extension of the last one).
   */
  const storedTree = (): TreeFrontier => {
    const { position } = blocks.head();
    const checkpoint = latestCheckpointRow.get();
    const refuse = (why: string): never => {
      throw new Error(`the ledger at ${storage.path} cannot be extended: ${why}; run \`tickvault verify\` to find what differs`);
    };
    if ((checkpoint?.size ?? 0) !== position) refuse(`it stores ${position} events but its last checkpoint is of ${checkpoint?.size ?? 0}`);
    const tree = frontierOf(position, storedSubtree);
    if (checkpoint !== undefined && !tree.root().equals(checkpoint.root)) refuse(`the stored tree's root at ${position} events is not the root its checkpoint signed`);
    return tree;
  };

  // A ledger that cannot be extended still opens, for reading, verifying and proving what it
  // holds; only appends are refused, each with the reason.
  let refusal: Error | undefined;
  let specTree: TreeFrontier;
  try {
    specTree = storedTree();
  } catch (e) {
    refusal = e as Error;
    specTree = createTreeFrontier();
  }
  const writer = startLedgerWriter({ path: storage.path, synchronous: options.synchronous ?? 'FULL' });

  const stored = blocks.head();
  let head: LedgerHead =
    refusal === undefined ? { position: specTree.size, root: specTree.root().toString('hex') } : { position: stored.position, root: latestCheckpointRow.get()?.root.toString('hex') ?? '' };
  let lastRecordedAt = stored.recordedAt;
  const versions = new Map<string, number>();
  const versionOf = (stream: string): number => {
    let v = versions.get(stream);
    if (v === undefined) {
      v = blocks.streamVersion(stream);
      versions.set(stream, v);
    }
    return v;
  };
  const marks = createDedupMarks(blocks.dedupMarks());

  const recent = createRecentEvents(RECENT_EVENTS);
  const pages = createPageCache(STORED_PAGES);

  const commitListeners = new Set<() => void>();
  let queue: PendingAppend[] = [];
  let scheduled = false;
  let closed = false;

  // What the main thread has decided but the writer may not have committed yet: the head and
  // stream versions as they will be once every block in flight is stored, and their dedup keys.
  let specHead = head;
  let specRecordedAt = lastRecordedAt;
  const specVersions = new Map<string, number>();
  const pendingKeys = new Set<string>();
  const specVersionOf = (stream: string): number => specVersions.get(stream) ?? versionOf(stream);

  /** Which of `keys` are stored: each one's hash or range names the few blocks that may hold it. */
  const storedAmong = (keys: readonly string[]): Set<string> => {
    const candidates = new Map<number, StoredBlock>();
    for (const key of keys) for (const b of blocks.blocksForKey(key)) candidates.set(b.first, b);
    return dedupKeysAmong(candidates.values(), new Set(keys));
  };
  /**
   * The dedup keys of a group already stored. Keys above their scope's high-water mark are new
   * without a lookup; only the others (replays, late trades, keys that are not numbered) are probed.
   */
  const storedKeysOf = (calls: readonly PendingAppend[]): ReadonlySet<string> => {
    const probe: string[] = [];
    for (const call of calls) for (const e of call.events) if (e.dedupKey !== undefined && !pendingKeys.has(e.dedupKey) && !marks.isNew(e.dedupKey)) probe.push(e.dedupKey);
    return probe.length === 0 ? new Set() : storedAmong(probe);
  };

  interface Flight {
    readonly calls: readonly PendingAppend[];
    readonly outcomes: ReadonlyArray<{ ok: true; result: AppendResult } | { ok: false; error: unknown }>;
    readonly keys: readonly string[];
    readonly streams: ReadonlyMap<string, number>;
    readonly newHead: LedgerHead;
    readonly recordedAt: number;
    cancelled: boolean;
  }
  let inFlight: Flight[] = [];
  let lastSettled: Promise<void> = Promise.resolve();

  const groupFull = (): boolean => {
    let events = 0;
    for (const call of queue) if ((events += call.events.length) >= GROUP_EVENTS) return true;
    return false;
  };

  const schedule = (): void => {
    if (!scheduled && queue.length > 0) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  /** The flight is stored: it becomes the committed state, its callers learn their result. */
  const land = (flight: Flight): void => {
    if (flight.cancelled) return;
    inFlight.shift();
    head = flight.newHead;
    lastRecordedAt = flight.recordedAt;
    for (const [s, v] of flight.streams) versions.set(s, v);
    for (const k of flight.keys) pendingKeys.delete(k);
    for (const o of flight.outcomes) if (o.ok) recent.remember(o.result.appended);
    flight.calls.forEach((c, i) => {
      const o = flight.outcomes[i]!;
      if (o.ok) c.resolve(o.result);
      else c.reject(o.error);
    });
    for (const l of commitListeners) l();
    schedule();
  };

  /** A write failed: it and every flight decided on top of it are refused, and decisions restart from what is stored. */
  const crash = (flight: Flight, error: unknown): void => {
    if (flight.cancelled) return;
    for (const f of inFlight) {
      f.cancelled = true;
      for (const k of f.keys) pendingKeys.delete(k);
      f.calls.forEach((c, i) => {
        const o = f.outcomes[i]!;
        c.reject(o.ok ? error : o.error);
      });
    }
    inFlight = [];
    blocks.forget();
    // Start again from what is stored (the writer refuses anything else), not from what we believed.
    try {
      specTree = storedTree();
      head = { position: specTree.size, root: specTree.root().toString('hex') };
    } catch (e) {
      refusal = e as Error;
    }
    versions.clear();
    marks.reset(blocks.dedupMarks());
    recent.clear();
    specHead = head;
    specRecordedAt = lastRecordedAt;
    specVersions.clear();
    schedule();
  };

  /**
   * Decides one group of calls (group commit): versions checked, duplicates found, events
   * sealed and their leaves added to the tree, the tree signed, the block laid out; then hands
   * it to the writer and goes on with the next group while the writer stores this one. Results
   * are handed out in order, after the commit.
   */
  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0 || inFlight.length >= MAX_IN_FLIGHT) return;
    // A group that would not be full waits for the write in progress and takes every call that
    // arrives meanwhile (its land schedules the next flush): appends that come one per request
    // (predictions, commands) share a block, a checkpoint signature and a commit instead of one
    // each, and wait no longer, since the writer stores blocks in order. Full groups (ingest) do
    // not wait: they are decided while the writer stores the one before.
    if (inFlight.length > 0 && !groupFull()) return;
    // A group takes calls up to a size, the rest form the next group: while the writer stores
    // one group, the callers of the one before it are already preparing their next batches.
    let take = 0;
    for (let events = 0; take < queue.length && (take === 0 || events + queue[take]!.events.length <= GROUP_EVENTS); take++) events += queue[take]!.events.length;
    const calls = queue.slice(0, take);
    queue = queue.slice(take);
    const recordedAt = Math.max(options.clock.now(), specRecordedAt);
    const stamp = createMetaStamper(recordedAt);
    const first = specHead.position + 1;
    let specPosition = specHead.position;
    const layout = createBlockLayout(marks);
    const keys: string[] = [];
    const stored = storedKeysOf(calls);
    const outcomes = calls.map((call): Flight['outcomes'][number] => {
      for (const [stream, expected] of Object.entries(call.options?.expected ?? {})) {
        const actual = specVersionOf(stream);
        if (!versionMatches(expected, actual)) return { ok: false, error: new ExpectedVersionConflictError(stream, expected, actual) };
      }
      const appended: RecordedEvent[] = [];
      const duplicates: NewEvent[] = [];
      for (const e of call.events) {
        if (e.dedupKey !== undefined) {
          if (pendingKeys.has(e.dedupKey) || stored.has(e.dedupKey)) {
            duplicates.push(e);
            continue;
          }
          pendingKeys.add(e.dedupKey);
          keys.push(e.dedupKey);
        }
        const version = specVersionOf(e.stream) + 1;
        const sealed = sealEvent(e, specPosition + 1, version, stamp(e.meta));
        layout.add(sealed);
        specPosition = sealed.recorded.position;
        specVersions.set(e.stream, version);
        appended.push(sealed.recorded);
      }
      return { ok: true, result: { appended, duplicates, head: specPosition } };
    });
    specRecordedAt = recordedAt;
    let written: Promise<unknown> = Promise.resolve();
    const { leaves, ...block } = layout.finish();
    if (block.count > 0) {
      const { tiles, checkpoint } = growTree(specTree, leaves, recordedAt, options.signer);
      specHead = { position: checkpoint.size, root: checkpoint.root };
      written = writer.write({
        first,
        recordedAt,
        ...block,
        tiles: tiles.map((t) => [t.level, t.index, t.hash] as const),
        checkpoint: [checkpoint.size, Buffer.from(checkpoint.root, 'hex'), checkpoint.time, checkpoint.note],
      });
    }
    const streams = new Map(block.streams);
    const flight: Flight = { calls, outcomes, keys, streams, newHead: specHead, recordedAt, cancelled: false };
    inFlight.push(flight);
    written.catch(() => undefined); // handled in order below
    lastSettled = lastSettled.then(() => written).then(() => land(flight), (error: unknown) => crash(flight, error));
    schedule();
  };

  const proofs = createLedgerProofs({
    subtree: async (start, size) => (isTiled(size) ? storedSubtree(start, size) : smallSubtrees.root(start, size)),
    latestCheckpoint: async () => ledger.latestCheckpoint(),
    checkpointAt: async (size) => ledger.checkpointAt(size),
    eventBytesAt: async (position) => {
      const b = blocks.spanAt(position, position);
      return b === undefined ? undefined : canonicalBytesAt(b, position - b.first);
    },
  });

  const readStored = (after: number, limit: number): RecordedEvent[] => eventsAfter(blocks.blocksFrom(after + 1), after, limit);
  // A follower at our landed head waits for the next land while a write is in flight: storage
  // would hand it blocks the writer committed but we have not landed yet, read and decoded once
  // more per follower. When nothing is in flight, storage is asked (another process may have
  // appended), its head first: a follower at the head, after each commit, reads no block.
  const readPage = (after: number, limit: number): RecordedEvent[] =>
    recent.read(after, limit) ?? (after >= head.position && (inFlight.length > 0 || blocks.head().position <= after) ? [] : pages.read(after, limit, readStored));

  const ledger: Ledger = {
    append(events, opts) {
      if (closed) return Promise.reject(new Error('the ledger is closed'));
      if (refusal !== undefined) return Promise.reject(refusal);
      const malformed = malformedAppend(events);
      if (malformed !== undefined) return Promise.reject(malformed);
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, options: opts, resolve, reject });
        schedule();
      });
    },
    read: async (after, limit) => readPage(after, limit),
    async readStream(stream, opts) {
      const through = opts?.throughPosition ?? Number.MAX_SAFE_INTEGER;
      return eventsOfStream(blocks.blocksOfStream(stream, through), stream, through);
    },
    async readTypes(after, types, limit) {
      const wanted = new Set(types);
      // The tail this process committed is scanned in memory when it reaches the head: a follower
      // of a few types (the model registry, once a second) decodes no block of the others'.
      const tail = recent.readTypes(after, wanted, limit);
      if (tail !== undefined && (tail.events.length === limit || tail.through >= head.position)) return tail.events;
      return eventsOfTypes(blocks.blocksFrom(after + 1, wanted), after, wanted, limit);
    },
    streamsMatching: async (prefix, suffix) => streamsGlob.all(`${globEscape(prefix)}*${globEscape(suffix)}`),
    findByDedupKey: async (key) => firstMatch(blocks.blocksForKey(key), (e) => e.dedupKey === key),
    findById: async (id) => firstMatch(blocks.blocksForId(id), (e) => e.id === id),
    head: async () => head,
    positionRecordedBy: async (t) => Math.min(blocks.positionRecordedBy(t), head.position),
    subscribe(after: number, handler: SubscriptionHandler, opts?: { batchSize?: number }): Subscription {
      return createSubscription({
        after,
        batchSize: opts?.batchSize ?? 1000,
        handler,
        read: async (from, limit) => readPage(from, limit),
        headPosition: () => head.position,
        onCommit: (listener) => {
          commitListeners.add(listener);
          return () => commitListeners.delete(listener);
        },
      });
    },
    async verify(opts) {
      const verifier = createTreeVerifier(options.signer.verifierKey, opts?.from);
      // What is committed when the run starts: the run ends there, so steady appends cannot keep it going.
      const total = blocks.head().position;
      // From the database, never the in-memory tail: verify checks what is stored.
      blocks.forget();
      smallSubtrees.forget();
      while (verifier.size < total) {
        const after = verifier.size;
        const { segments, malformed } = verifierSegmentsOf(blocks.blocksFrom(after + 1), after, Math.min(after + VERIFY_PAGE, total));
        const last = segments[segments.length - 1];
        if (last !== undefined) {
          const through = last.block.first + last.to - 1;
          const tiles = new Map<string, Buffer>();
          for (const r of tileRangesEndingIn(after, through)) for (const t of tilesIn.all(r.level, r.from, r.to)) tiles.set(tileKey(r.level, t.idx), t.hash);
          const bad = verifier.check({ segments, tiles, checkpoints: checkpointsIn.all(after, through).map(toCheckpoint) });
          if (bad !== undefined) return bad;
        }
        if (malformed !== undefined) return { ok: false, checked: verifier.checked, position: malformed.position, reason: malformed.message };
        if (last === undefined) break;
        opts?.onProgress?.(verifier.size, total);
        await new Promise((r) => setImmediate(r));
      }
      const beyond = checkpointFrom.get(verifier.size + 1);
      if (beyond !== undefined && verifier.size === blocks.head().position) return verifier.beyondHead(toCheckpoint(beyond));
      return verifier.result();
    },
    verifierKey: () => options.signer.verifierKey,
    latestCheckpoint: async () => {
      const r = latestCheckpointRow.get();
      return r === undefined ? undefined : toCheckpoint(r);
    },
    checkpointAt: async (size) => {
      const r = checkpointFrom.get(size);
      return r === undefined ? undefined : toCheckpoint(r);
    },
    inclusionProof: (position, treeSize) => proofs.inclusionProof(position, treeSize),
    consistencyProof: (from, to) => proofs.consistencyProof(from, to),
    async close() {
      if (closed) return;
      closed = true;
      // What callers handed over is still written before the writer stops.
      while (queue.length > 0 || inFlight.length > 0) {
        flush();
        await lastSettled;
      }
      await writer.close();
      commitListeners.clear();
      db.close();
      storage.discard();
    },
  };
  return ledger;
};

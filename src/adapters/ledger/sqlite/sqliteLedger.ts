/**
 * The embedded ledger on SQLite (WAL, synchronous=FULL by default).
 *
 * Group commit: appends that arrive in the same event-loop turn are decided together (a version
 * conflict fails only its own call) and written in one transaction, one fsync, by a writer
 * thread (ledgerWriter.ts), while the main thread decides the next group. A caller's promise
 * resolves only after its group is committed. Each group's leaves grow the RFC 6962 tree kept as
 * a frontier in memory; the tiles they complete and the group's signed checkpoint are stored in
 * the group's transaction. Head, tree frontier and stream versions are cached; the newest events
 * stay in memory for subscribers at the tail; `verify` and proofs always read the database.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, Clock, Ledger, LedgerCheckpoint, LedgerHead, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import type { CheckpointSigner } from '../checkpoint/checkpointSigner.js';
import type { Hash } from '../merkle/rfc6962.js';
import { createTreeFrontier, frontierOf, type TreeFrontier } from '../merkle/treeFrontier.js';
import { canonicalBytesOfRow, createMetaStamper, SELECT_COLUMNS, sealEvent, toRecorded, versionMatches, type EventRow } from '../sealEvent.js';
import { createLedgerProofs } from '../tree/ledgerProofs.js';
import { isTiled, missingTile, rootOfLeaves, tileOf } from '../tree/storedSubtree.js';
import { growTree } from '../tree/treeGrowth.js';
import { createTreeVerifier, tileKey, tileRangesEndingIn } from '../tree/treeVerifier.js';
import { startLedgerWriter, type EventRowValues } from './ledgerWriter.js';
import { INSERT_CHECKPOINT, INSERT_EVENT, INSERT_TILE, IS_HASH_CHAIN_FORMAT, LEDGER_SCHEMA, UPSERT_STREAM } from './schema.js';
import { createPageCache } from '../pageCache.js';
import { createRecentEvents } from '../recentEvents.js';
import { createSubscription } from '../subscription.js';

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

export const openSqliteLedger = (options: SqliteLedgerOptions): Ledger => {
  const storage = storageFor(options.path);
  const db = new Database(storage.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  if (db.prepare(IS_HASH_CHAIN_FORMAT).get() !== undefined) {
    db.close();
    throw new Error(`the ledger at ${storage.path} is in the hash-chain format of earlier versions: run \`tickvault migrate\` to re-record it as a transparency log`);
  }
  db.exec(LEDGER_SCHEMA);

  // One query per group finds which of its dedup keys are stored: a probe per event costs
  // several times more in statement calls than the index lookups themselves.
  const dedupKeysStored = db
    .prepare<[string], string>('SELECT j.value FROM json_each(?) AS j WHERE EXISTS (SELECT 1 FROM events WHERE dedup_key = j.value)')
    .pluck();
  const streamVersion = db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream = ?');
  const byDedupKey = db.prepare<[string], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE dedup_key = ?`);
  const byId = db.prepare<[string], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE id = ?`);
  const readAfter = db.prepare<[number, number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
  const readTypesStmt = db.prepare<[number, string, number], EventRow>(
    `SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`,
  );
  const readStreamStmt = db.prepare<[string, number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE stream = ? AND position <= ? ORDER BY stream_version`);
  const streamsGlob = db.prepare<[string], { stream: string }>('SELECT stream FROM streams WHERE stream GLOB ? ORDER BY stream');
  const recordedAtOf = db.prepare<[number], { recorded_at: number }>('SELECT recorded_at FROM events WHERE position = ?');
  const headRow = db.prepare<[], { position: number; recorded_at: number }>('SELECT position, recorded_at FROM events ORDER BY position DESC LIMIT 1');
  const eventAt = db.prepare<[number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position = ?`);
  const tileAt = db.prepare<[number, number], Buffer>('SELECT hash FROM tree_tiles WHERE level = ? AND idx = ?').pluck();
  const tilesIn = db.prepare<[number, number, number], { idx: number; hash: Buffer }>('SELECT idx, hash FROM tree_tiles WHERE level = ? AND idx BETWEEN ? AND ?');
  // Leaf i is the event at position i + 1.
  const leavesIn = db.prepare<[number, number], Buffer>('SELECT leaf_hash FROM events WHERE position > ? AND position <= ? ORDER BY position').pluck();
  const latestCheckpointRow = db.prepare<[], CheckpointRow>('SELECT size, root, time, note FROM checkpoints ORDER BY size DESC LIMIT 1');
  const checkpointFrom = db.prepare<[number], CheckpointRow>('SELECT size, root, time, note FROM checkpoints WHERE size >= ? ORDER BY size LIMIT 1');
  const checkpointsIn = db.prepare<[number, number], CheckpointRow>('SELECT size, root, time, note FROM checkpoints WHERE size > ? AND size <= ? ORDER BY size');

  const storedSubtree = (start: number, size: number): Hash => {
    if (!isTiled(size)) return rootOfLeaves(start, size, leavesIn.all(start, start + size));
    const { level, index } = tileOf(start, size);
    const tile = tileAt.get(level, index);
    if (tile === undefined) throw missingTile(start, size);
    return tile;
  };

  /**
   * The tree as stored, resumed from its tiles and leaves. It must end exactly at the last signed
   * checkpoint, with that checkpoint's root: a ledger that does not is never extended (a new
   * checkpoint would vouch for a tree that is not an extension of the last one).
   */
  const storedTree = (): TreeFrontier => {
    const position = headRow.get()?.position ?? 0;
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
  const writer = startLedgerWriter({
    path: storage.path,
    synchronous: options.synchronous ?? 'FULL',
    sql: { insertEvent: INSERT_EVENT, insertTile: INSERT_TILE, insertCheckpoint: INSERT_CHECKPOINT, upsertStream: UPSERT_STREAM },
  });

  const last = headRow.get();
  let head: LedgerHead =
    refusal === undefined ? { position: specTree.size, root: specTree.root().toString('hex') } : { position: last?.position ?? 0, root: latestCheckpointRow.get()?.root.toString('hex') ?? '' };
  let lastRecordedAt = last?.recorded_at ?? 0;
  const versions = new Map<string, number>();
  const versionOf = (stream: string): number => {
    let v = versions.get(stream);
    if (v === undefined) {
      v = streamVersion.get(stream)?.version ?? 0;
      versions.set(stream, v);
    }
    return v;
  };

  const recent = createRecentEvents(RECENT_EVENTS);
  const pages = createPageCache(STORED_PAGES);

  const commitListeners = new Set<() => void>();
  let queue: PendingAppend[] = [];
  let scheduled = false;
  let closed = false;

  // What the main thread has decided but the writer may not have committed yet: the head and
  // stream versions as they will be once every batch in flight is stored, and their dedup keys.
  let specHead = head;
  let specRecordedAt = lastRecordedAt;
  const specVersions = new Map<string, number>();
  const pendingKeys = new Set<string>();
  const specVersionOf = (stream: string): number => specVersions.get(stream) ?? versionOf(stream);
  const storedKeysOf = (calls: readonly PendingAppend[]): ReadonlySet<string> => {
    const candidates: string[] = [];
    for (const call of calls) for (const e of call.events) if (e.dedupKey !== undefined && !pendingKeys.has(e.dedupKey)) candidates.push(e.dedupKey);
    return candidates.length === 0 ? new Set() : new Set(dedupKeysStored.all(JSON.stringify(candidates)));
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
    // Start again from what is stored (the writer refuses anything else), not from what we believed.
    try {
      specTree = storedTree();
      head = { position: specTree.size, root: specTree.root().toString('hex') };
    } catch (e) {
      refusal = e as Error;
    }
    versions.clear();
    recent.clear();
    specHead = head;
    specRecordedAt = lastRecordedAt;
    specVersions.clear();
    schedule();
  };

  /**
   * Decides one group of calls (group commit): versions checked, duplicates found, events
   * sealed and their leaves added to the tree, the tree signed; then hands the rows to the writer and goes on with the next
   * group while the writer stores this one. Results are handed out in order, after the commit.
   */
  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0 || inFlight.length >= MAX_IN_FLIGHT) return;
    // A group takes calls up to a size, the rest form the next group: while the writer stores
    // one group, the callers of the one before it are already preparing their next batches.
    let take = 0;
    for (let events = 0; take < queue.length && (take === 0 || events + queue[take]!.events.length <= GROUP_EVENTS); take++) events += queue[take]!.events.length;
    const calls = queue.slice(0, take);
    queue = queue.slice(take);
    const recordedAt = Math.max(options.clock.now(), specRecordedAt);
    const stamp = createMetaStamper(recordedAt);
    const after = specHead.position;
    let specPosition = after;
    const rows: EventRowValues[] = [];
    const leaves: Hash[] = [];
    const keys: string[] = [];
    const streams = new Map<string, number>();
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
        const { recorded, leaf, dataJson, metaJson } = sealEvent(e, specPosition + 1, version, stamp(e.meta));
        rows.push([recorded.position, e.id, e.type, e.schemaVersion, e.stream, version, dataJson, metaJson, recorded.dedupKey, recordedAt, leaf]);
        leaves.push(leaf);
        specPosition = recorded.position;
        specVersions.set(e.stream, version);
        streams.set(e.stream, version);
        appended.push(recorded);
      }
      return { ok: true, result: { appended, duplicates, head: specPosition } };
    });
    specRecordedAt = recordedAt;
    let written = Promise.resolve();
    if (rows.length > 0) {
      const { tiles, checkpoint } = growTree(specTree, leaves, recordedAt, options.signer);
      specHead = { position: checkpoint.size, root: checkpoint.root };
      written = writer.write({
        after,
        rows,
        streams: [...streams],
        tiles: tiles.map((t) => [t.level, t.index, t.hash] as const),
        checkpoint: [checkpoint.size, Buffer.from(checkpoint.root, 'hex'), checkpoint.time, checkpoint.note],
      });
    }
    const flight: Flight = { calls, outcomes, keys, streams, newHead: specHead, recordedAt, cancelled: false };
    inFlight.push(flight);
    written.catch(() => undefined); // handled in order below
    lastSettled = lastSettled.then(() => written).then(() => land(flight), (error: unknown) => crash(flight, error));
    schedule();
  };

  const proofs = createLedgerProofs({
    subtree: async (start, size) => storedSubtree(start, size),
    latestCheckpoint: async () => ledger.latestCheckpoint(),
    checkpointAt: async (size) => ledger.checkpointAt(size),
    eventBytesAt: async (position) => {
      const row = eventAt.get(position);
      return row === undefined ? undefined : canonicalBytesOfRow(row);
    },
  });

  const readStored = (after: number, limit: number): RecordedEvent[] => readAfter.all(after, limit).map(toRecorded);
  // A follower at our landed head waits for the next land while a write is in flight: storage
  // would hand it rows the writer committed but we have not landed yet, read and parsed once
  // more per follower. When nothing is in flight, storage is read: another process may have
  // appended.
  const readPage = (after: number, limit: number): RecordedEvent[] =>
    recent.read(after, limit) ?? (after >= head.position && inFlight.length > 0 ? [] : pages.read(after, limit, readStored));

  const ledger: Ledger = {
    append(events, opts) {
      if (closed) return Promise.reject(new Error('the ledger is closed'));
      if (refusal !== undefined) return Promise.reject(refusal);
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, options: opts, resolve, reject });
        schedule();
      });
    },
    read: async (after, limit) => readPage(after, limit),
    readStream: async (stream, opts) => readStreamStmt.all(stream, opts?.throughPosition ?? Number.MAX_SAFE_INTEGER).map(toRecorded),
    readTypes: async (after, types, limit) => readTypesStmt.all(after, JSON.stringify(types), limit).map(toRecorded),
    streamsMatching: async (prefix, suffix) => streamsGlob.all(`${globEscape(prefix)}*${globEscape(suffix)}`).map((r) => r.stream),
    findByDedupKey: async (key) => {
      const row = byDedupKey.get(key);
      return row === undefined ? undefined : toRecorded(row);
    },
    findById: async (id) => {
      const row = byId.get(id);
      return row === undefined ? undefined : toRecorded(row);
    },
    head: async () => head,
    async positionRecordedBy(t) {
      // recorded_at never decreases with position, so a binary search finds the last one ≤ t.
      let lo = 0;
      let hi = head.position;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if ((recordedAtOf.get(mid)?.recorded_at ?? Infinity) <= t) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
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
      const total = headRow.get()?.position ?? 0;
      while (verifier.size < total) {
        // From the database, never the in-memory tail: verify checks what is stored.
        const after = verifier.size;
        const rows = readAfter.all(after, Math.min(VERIFY_PAGE, total - after));
        if (rows.length === 0) break;
        const through = Number(rows[rows.length - 1]!.position);
        const tiles = new Map<string, Buffer>();
        for (const r of tileRangesEndingIn(after, through)) for (const t of tilesIn.all(r.level, r.from, r.to)) tiles.set(tileKey(r.level, t.idx), t.hash);
        const bad = verifier.check({ rows, tiles, checkpoints: checkpointsIn.all(after, through).map(toCheckpoint) });
        if (bad !== undefined) return bad;
        opts?.onProgress?.(verifier.size, total);
        await new Promise((r) => setImmediate(r));
      }
      const beyond = checkpointFrom.get(verifier.size + 1);
      if (beyond !== undefined && verifier.size === (headRow.get()?.position ?? 0)) return verifier.beyondHead(toCheckpoint(beyond));
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

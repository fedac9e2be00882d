/**
 * The embedded ledger on SQLite (WAL, synchronous=FULL by default).
 *
 * Group commit: appends that arrive in the same event-loop turn are decided together (a version
 * conflict fails only its own call) and written in one transaction, one fsync, by a writer
 * thread (ledgerWriter.ts), while the main thread decides the next group. A caller's promise
 * resolves only after its group is committed. Head hash, head position and stream versions are
 * cached; the newest events stay in memory for subscribers at the tail; `verify` always reads
 * the database.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { GENESIS_HASH } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, Clock, Ledger, LedgerHead, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import { createChainVerifier } from '../hashChain.js';
import { createMetaStamper, SELECT_COLUMNS, sealEvent, toRecorded, toVerifiable, versionMatches, type EventRow } from '../sealEvent.js';
import { startLedgerWriter, type EventRowValues } from './ledgerWriter.js';
import { INSERT_EVENT, LEDGER_SCHEMA, UPSERT_STREAM } from './schema.js';
import { createPageCache } from '../pageCache.js';
import { createRecentEvents } from '../recentEvents.js';
import { createSubscription } from '../subscription.js';

export interface SqliteLedgerOptions {
  /** File path, or ':memory:' for a throwaway ledger. */
  readonly path: string;
  readonly clock: Clock;
  readonly synchronous?: 'FULL' | 'NORMAL';
}

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
  db.exec(LEDGER_SCHEMA);

  const writer = startLedgerWriter({ path: storage.path, synchronous: options.synchronous ?? 'FULL', insertSql: INSERT_EVENT, upsertStreamSql: UPSERT_STREAM });
  // One query per group finds which of its dedup keys are stored: a probe per event costs
  // several times more in statement calls than the index lookups themselves.
  const dedupKeysStored = db
    .prepare<[string], string>('SELECT j.value FROM json_each(?) AS j WHERE EXISTS (SELECT 1 FROM events WHERE dedup_key = j.value)')
    .pluck();
  const streamVersion = db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream = ?');
  const byDedupKey = db.prepare<[string], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE dedup_key = ?`);
  const readAfter = db.prepare<[number, number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
  const readTypesStmt = db.prepare<[number, string, number], EventRow>(
    `SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`,
  );
  const readStreamStmt = db.prepare<[string, number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE stream = ? AND position <= ? ORDER BY stream_version`);
  const streamsGlob = db.prepare<[string], { stream: string }>('SELECT stream FROM streams WHERE stream GLOB ? ORDER BY stream');
  const recordedAtOf = db.prepare<[number], { recorded_at: number }>('SELECT recorded_at FROM events WHERE position = ?');
  const headRow = db.prepare<[], { position: number; hash: string; recorded_at: number }>('SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1');

  const last = headRow.get();
  let head: LedgerHead = { position: last?.position ?? 0, hash: last?.hash ?? GENESIS_HASH };
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
    const stored = headRow.get();
    head = { position: stored?.position ?? 0, hash: stored?.hash ?? GENESIS_HASH };
    versions.clear();
    recent.clear();
    specHead = head;
    specRecordedAt = lastRecordedAt;
    specVersions.clear();
    schedule();
  };

  /**
   * Decides one group of calls (group commit): versions checked, duplicates found, events
   * sealed into the hash chain; then hands the rows to the writer and goes on with the next
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
    const rows: EventRowValues[] = [];
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
        const { recorded, dataJson, metaJson } = sealEvent(e, specHead.position + 1, version, stamp(e.meta), specHead.hash);
        rows.push([recorded.position, e.id, e.type, e.schemaVersion, e.stream, version, dataJson, metaJson, recorded.dedupKey, recordedAt, recorded.prevHash, recorded.hash]);
        specHead = { position: recorded.position, hash: recorded.hash };
        specVersions.set(e.stream, version);
        streams.set(e.stream, version);
        appended.push(recorded);
      }
      return { ok: true, result: { appended, duplicates, head: specHead.position } };
    });
    specRecordedAt = recordedAt;
    const flight: Flight = { calls, outcomes, keys, streams, newHead: specHead, recordedAt, cancelled: false };
    inFlight.push(flight);
    const written = rows.length === 0 ? Promise.resolve() : writer.write({ after, rows, streams: [...streams] });
    written.catch(() => undefined); // handled in order below
    lastSettled = lastSettled.then(() => written).then(() => land(flight), (error: unknown) => crash(flight, error));
    schedule();
  };

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
      const verifier = createChainVerifier();
      const total = head.position;
      let after = 0;
      for (;;) {
        // From the database, never the in-memory tail: verify checks what is stored.
        const page = readAfter.all(after, 10_000).map(toVerifiable);
        if (page.length === 0) break;
        const bad = verifier.check(page);
        if (bad !== undefined) return bad;
        after = page[page.length - 1]!.position;
        opts?.onProgress?.(verifier.checked, total);
        await new Promise((r) => setImmediate(r));
      }
      return { ok: true, checked: verifier.checked, head: verifier.head };
    },
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

/**
 * The embedded ledger on SQLite (WAL, synchronous=FULL by default).
 *
 * Group commit: appends that arrive in the same event-loop turn are written in one transaction
 * (one fsync), each call in its own savepoint so that one call's version conflict fails only that
 * call. Head hash, head position and stream versions are cached, so an append costs one INSERT
 * per event plus one UPSERT per stream. The newest events stay in memory for subscribers at the
 * tail; `verify` always reads the database.
 */
import Database from 'better-sqlite3';
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { GENESIS_HASH } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, Clock, Ledger, LedgerHead, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import { createChainVerifier } from '../hashChain.js';
import { createMetaStamper, SELECT_COLUMNS, sealEvent, toRecorded, versionMatches, type EventRow } from '../sealEvent.js';
import { INSERT_EVENT, LEDGER_SCHEMA } from './schema.js';
import { createSubscription } from '../subscription.js';

export interface SqliteLedgerOptions {
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

/** How many of the newest events the ledger keeps in memory for subscribers at the tail. */
const TAIL_EVENTS = 20_000;

const globEscape = (s: string): string => s.replace(/[*?[\]]/g, (c) => `[${c}]`);

export const openSqliteLedger = (options: SqliteLedgerOptions): Ledger => {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(LEDGER_SCHEMA);

  const insert = db.prepare(INSERT_EVENT);
  const upsertStream = db.prepare('INSERT INTO streams (stream, version) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET version = excluded.version');
  const streamVersion = db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream = ?');
  const byDedupKey = db.prepare<[string], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE dedup_key = ?`);
  const readAfter = db.prepare<[number, number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
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

  // The newest committed events, as appended: live subscribers read the tail of the ledger,
  // and serving it from memory spares them a query and a JSON parse per event. Positions are
  // gapless, so an event's index in the tail is its position minus the first one's.
  const tail: RecordedEvent[] = [];
  let tailStart = head.position + 1;
  const remember = (events: readonly RecordedEvent[]): void => {
    for (const e of events) tail.push(e);
    if (tail.length > 2 * TAIL_EVENTS) {
      const drop = tail.length - TAIL_EVENTS;
      tail.splice(0, drop);
      tailStart += drop;
    }
  };

  const commitListeners = new Set<() => void>();
  let queue: PendingAppend[] = [];
  let scheduled = false;
  let closed = false;

  /** Writes one call inside the group transaction; throws (rolling back its savepoint) on conflict. */
  const appendOne = db.transaction((call: PendingAppend, recordedAt: number, tx: { head: LedgerHead; versions: Map<string, number> }): AppendResult => {
    const current = (s: string): number => tx.versions.get(s) ?? versionOf(s);
    for (const [stream, expected] of Object.entries(call.options?.expected ?? {})) {
      const actual = current(stream);
      if (!versionMatches(expected, actual)) throw new ExpectedVersionConflictError(stream, expected, actual);
    }
    const appended: RecordedEvent[] = [];
    const duplicates: NewEvent[] = [];
    const touched = new Map<string, number>();
    let { position, hash } = tx.head;
    // The events of one command share their meta object: it is stamped and serialised once.
    const stamp = createMetaStamper(recordedAt);
    for (const e of call.events) {
      const version = (touched.get(e.stream) ?? current(e.stream)) + 1;
      const { recorded, dataJson, metaJson } = sealEvent(e, position + 1, version, stamp(e.meta), hash);
      // ON CONFLICT(dedup_key) DO NOTHING: a known dedup key is a duplicate, found by the insert itself.
      const inserted = insert.run(recorded.position, e.id, e.type, e.schemaVersion, e.stream, version, dataJson, metaJson, recorded.dedupKey, recordedAt, recorded.prevHash, recorded.hash);
      if (inserted.changes === 0) {
        duplicates.push(e);
        continue;
      }
      position = recorded.position;
      hash = recorded.hash;
      touched.set(e.stream, version);
      appended.push(recorded);
    }
    for (const [stream, version] of touched) {
      upsertStream.run(stream, version);
      tx.versions.set(stream, version);
    }
    tx.head = { position, hash };
    return { appended, duplicates, head: position };
  });

  const flush = (): void => {
    scheduled = false;
    const calls = queue;
    queue = [];
    if (calls.length === 0) return;
    const recordedAt = Math.max(options.clock.now(), lastRecordedAt);
    const tx = { head, versions: new Map<string, number>() };
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      db.transaction(() => {
        for (const call of calls) {
          try {
            outcomes.push({ ok: true, result: appendOne(call, recordedAt, tx) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const c of calls) c.reject(error);
      return;
    }
    head = tx.head;
    lastRecordedAt = recordedAt;
    for (const [s, v] of tx.versions) versions.set(s, v);
    for (const o of outcomes) if (o.ok) remember(o.result.appended);
    calls.forEach((c, i) => {
      const o = outcomes[i]!;
      if (o.ok) c.resolve(o.result);
      else c.reject(o.error);
    });
    for (const l of commitListeners) l();
  };

  const readStored = (after: number, limit: number): RecordedEvent[] => readAfter.all(after, limit).map(toRecorded);
  const readPage = (after: number, limit: number): RecordedEvent[] => {
    const from = after + 1 - tailStart;
    if (from >= 0 && from < tail.length) return tail.slice(from, from + limit);
    return readStored(after, limit);
  };

  const ledger: Ledger = {
    append(events, opts) {
      if (closed) return Promise.reject(new Error('the ledger is closed'));
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, options: opts, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    read: async (after, limit) => readPage(after, limit),
    readStream: async (stream, opts) => readStreamStmt.all(stream, opts?.throughPosition ?? Number.MAX_SAFE_INTEGER).map(toRecorded),
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
        const page = readStored(after, 10_000);
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
      if (queue.length > 0) flush();
      closed = true;
      commitListeners.clear();
      db.close();
    },
  };
  return ledger;
};

/**
 * The cluster ledger on PostgreSQL.
 *
 * Appends that arrive while a write is in flight are grouped into the next transaction (one
 * commit for many calls, like the SQLite ledger's group commit). A transaction first locks the
 * single `head` row FOR UPDATE: appends from every process are serialised there, so positions
 * are assigned gaplessly under the lock and committed in position order. That is what makes
 * subscriptions simple: when a reader sees position N, every position before N is already
 * committed (the transaction that wrote them released the lock by committing before N's
 * transaction could take it), so reading `position > checkpoint` never skips an event.
 *
 * Under the lock the group reads the current versions of the streams it touches and the dedup
 * keys it carries, decides per call (a version conflict fails only that call), and writes the
 * accepted events with one multi-row INSERT, then the stream versions and the head.
 */
import pg from 'pg';
import type { NewEvent, RecordedEvent } from '../../../domain/events/envelope.js';
import { ExpectedVersionConflictError } from '../../../domain/errors.js';
import type { AppendOptions, AppendResult, Clock, Ledger, LedgerHead, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import { createChainVerifier } from '../hashChain.js';
import { createMetaStamper, SELECT_COLUMNS, sealEvent, toRecorded, versionMatches, type EventRow, type SealedEvent } from '../sealEvent.js';
import { createRecentEvents } from '../recentEvents.js';
import { createSubscription } from '../subscription.js';
import { INSERT_EVENTS, ledgerSchema, UPSERT_STREAMS } from './schema.js';

export interface PostgresLedgerOptions {
  /** A postgres:// connection string. */
  readonly url: string;
  /** The schema holding the ledger's tables (default `tickvault`; tests use one each). */
  readonly schema?: string;
  readonly clock: Clock;
  /** How often a subscription looks for commits made by other processes (ms). */
  readonly pollMs?: number;
  readonly poolSize?: number;
}

interface PendingAppend {
  readonly events: readonly NewEvent[];
  readonly options: AppendOptions | undefined;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

/** How many of this process's newest commits are kept in memory for subscribers at the tail. */
const RECENT_EVENTS = 20_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Serialises schema creation when several processes start at once (CREATE IF NOT EXISTS races). */
export const SCHEMA_LOCK_KEY = 7_042_001;

/** The connection string without its password, for error messages. */
const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const openPostgresLedger = async (options: PostgresLedgerOptions): Promise<Ledger> => {
  const schema = options.schema ?? 'tickvault';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`ledger schema "${schema}": use lower-case letters, digits and _ (at most 63)`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 60_000,
    options: `-c search_path="${schema}"`,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);

  const setup = await pool.connect();
  try {
    await setup.query('BEGIN');
    await setup.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
    await setup.query(ledgerSchema(schema));
    await setup.query('COMMIT');
  } catch (e) {
    await setup.query('ROLLBACK').catch(() => undefined);
    setup.release();
    await pool.end();
    throw new Error(`cannot create the ledger schema "${schema}" at ${redact(options.url)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  setup.release();

  const readHead = async (): Promise<LedgerHead> => {
    const r = await pool.query<{ position: string; hash: string }>('SELECT position, hash FROM head WHERE id = 1');
    return { position: Number(r.rows[0]!.position), hash: r.rows[0]!.hash };
  };
  /** The newest head this process knows: its own commits, and others' as reads find them. */
  let head = await readHead();
  const commitListeners = new Set<() => void>();
  const recent = createRecentEvents(RECENT_EVENTS);
  let queue: PendingAppend[] = [];
  let writing: Promise<void> | undefined;
  let closed = false;

  /** Decides and writes one group in one transaction; resolves or rejects each call. */
  const writeGroup = async (calls: PendingAppend[]): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ position: string; hash: string; recorded_at: string }>('SELECT position, hash, recorded_at FROM head WHERE id = 1 FOR UPDATE');
      let position = Number(locked.rows[0]!.position);
      let hash = locked.rows[0]!.hash;
      const recordedAt = Math.max(options.clock.now(), Number(locked.rows[0]!.recorded_at));

      const streams = new Set<string>();
      const keys = new Set<string>();
      for (const c of calls) {
        for (const s of Object.keys(c.options?.expected ?? {})) streams.add(s);
        for (const e of c.events) {
          streams.add(e.stream);
          if (e.dedupKey !== undefined) keys.add(e.dedupKey);
        }
      }
      const versions = new Map<string, number>();
      const vr = await client.query<{ stream: string; version: number }>('SELECT stream, version FROM streams WHERE stream = ANY($1::text[])', [[...streams]]);
      for (const r of vr.rows) versions.set(r.stream, r.version);
      const knownKeys = new Set<string>();
      if (keys.size > 0) {
        const kr = await client.query<{ dedup_key: string }>('SELECT dedup_key FROM events WHERE dedup_key = ANY($1::text[])', [[...keys]]);
        for (const r of kr.rows) knownKeys.add(r.dedup_key);
      }

      const stamp = createMetaStamper(recordedAt);
      const sealed: SealedEvent[] = [];
      const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
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
          if (e.dedupKey !== undefined && knownKeys.has(e.dedupKey)) {
            duplicates.push(e);
            continue;
          }
          if (e.dedupKey !== undefined) knownKeys.add(e.dedupKey);
          const version = (versions.get(e.stream) ?? 0) + 1;
          versions.set(e.stream, version);
          const s = sealEvent(e, position + 1, version, stamp(e.meta), hash);
          position = s.recorded.position;
          hash = s.recorded.hash;
          sealed.push(s);
          appended.push(s.recorded);
        }
        outcomes.push({ ok: true, result: { appended, duplicates, head: position } });
      }

      if (sealed.length > 0) {
        const col = <T>(f: (s: SealedEvent) => T): T[] => sealed.map(f);
        await client.query(INSERT_EVENTS, [
          col((s) => s.recorded.position),
          col((s) => s.recorded.id),
          col((s) => s.recorded.type),
          col((s) => s.recorded.schemaVersion),
          col((s) => s.recorded.stream),
          col((s) => s.recorded.streamVersion),
          col((s) => s.dataJson),
          col((s) => s.metaJson),
          col((s) => s.recorded.dedupKey),
          col(() => recordedAt),
          col((s) => s.recorded.prevHash),
          col((s) => s.recorded.hash),
        ]);
        const touched = [...new Set(sealed.map((s) => s.recorded.stream))];
        await client.query(UPSERT_STREAMS, [touched, touched.map((s) => versions.get(s)!)]);
        await client.query('UPDATE head SET position = $1, hash = $2, recorded_at = $3 WHERE id = 1', [position, hash, recordedAt]);
      }
      await client.query('COMMIT');
      if (position > head.position) head = { position, hash };
      for (const o of outcomes) if (o.ok) recent.remember(o.result.appended);
      calls.forEach((c, i) => {
        const o = outcomes[i]!;
        if (o.ok) c.resolve(o.result);
        else c.reject(o.error);
      });
      for (const l of commitListeners) l();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      for (const c of calls) c.reject(error);
    } finally {
      client.release();
    }
  };

  /** One group in flight at a time; calls arriving meanwhile form the next group. */
  const pump = (): void => {
    if (writing !== undefined || queue.length === 0) return;
    const calls = queue;
    queue = [];
    writing = writeGroup(calls).finally(() => {
      writing = undefined;
      pump();
    });
  };

  const readStored = async (after: number, limit: number): Promise<RecordedEvent[]> => {
    const r = await pool.query<EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`, [after, limit]);
    const events = r.rows.map(toRecorded);
    const last = events[events.length - 1];
    // Commits by other processes show up here; keep the known head current for subscriptions.
    if (last !== undefined && last.position > head.position) head = { position: last.position, hash: last.hash };
    return events;
  };
  const readPage = async (after: number, limit: number): Promise<RecordedEvent[]> => recent.read(after, limit) ?? readStored(after, limit);

  return {
    append(events, opts) {
      if (closed) return Promise.reject(new Error('the ledger is closed'));
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, options: opts, resolve, reject });
        // Deferred a tick so that calls made together share one transaction.
        setImmediate(pump);
      });
    },
    read: readPage,
    async readStream(stream, opts) {
      const r = await pool.query<EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE stream = $1 AND position <= $2 ORDER BY stream_version`, [
        stream,
        opts?.throughPosition ?? Number.MAX_SAFE_INTEGER,
      ]);
      return r.rows.map(toRecorded);
    },
    async streamsMatching(prefix, suffix) {
      const r = await pool.query<{ stream: string }>(`SELECT stream FROM streams WHERE stream LIKE $1 ESCAPE '\\' ORDER BY stream COLLATE "C"`, [
        `${likeEscape(prefix)}%${likeEscape(suffix)}`,
      ]);
      return r.rows.map((row) => row.stream);
    },
    async findByDedupKey(key) {
      const r = await pool.query<EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE dedup_key = $1`, [key]);
      return r.rows[0] === undefined ? undefined : toRecorded(r.rows[0]);
    },
    async head() {
      const h = await readHead();
      if (h.position > head.position) head = h;
      return h;
    },
    async positionRecordedBy(t) {
      // recorded_at never decreases with position, so the largest position at or before t is the answer.
      const r = await pool.query<{ p: string | null }>('SELECT MAX(position) AS p FROM events WHERE recorded_at <= $1', [t]);
      return Number(r.rows[0]?.p ?? 0);
    },
    subscribe(after: number, handler: SubscriptionHandler, opts?: { batchSize?: number }): Subscription {
      return createSubscription({
        after,
        batchSize: opts?.batchSize ?? 1000,
        handler,
        read: readPage,
        headPosition: () => head.position,
        onCommit: (listener) => {
          commitListeners.add(listener);
          return () => commitListeners.delete(listener);
        },
        pollMs: options.pollMs ?? 200,
      });
    },
    async verify(opts) {
      const verifier = createChainVerifier();
      const total = (await readHead()).position;
      let after = 0;
      for (;;) {
        // From the database, never the in-memory tail: verify checks what is stored.
        const page = await readStored(after, 10_000);
        if (page.length === 0) break;
        const bad = verifier.check(page);
        if (bad !== undefined) return bad;
        after = page[page.length - 1]!.position;
        opts?.onProgress?.(verifier.checked, total);
      }
      return { ok: true, checked: verifier.checked, head: verifier.head };
    },
    async close() {
      if (closed) return;
      closed = true;
      pump();
      while (writing !== undefined) await writing;
      commitListeners.clear();
      await pool.end();
    },
  };
};

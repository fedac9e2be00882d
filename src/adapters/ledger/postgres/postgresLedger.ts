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
 * Written in blocks, like the embedded ledger: one `blocks` row per append group (bytea, the
 * shared encoding of blocks/blockCodec.ts) with a few index rows, never a row per event.
 *
 * Under the lock the group reads the current versions of the streams it touches, the high-water
 * marks of its dedup scopes (blocks/dedupMarks.ts: a numbered key above its scope's mark is new
 * without a lookup; only the others are looked up, in the blocks their ranges or hashes name) and
 * the tree's right edge (kept in the head row), decides per call (a version conflict fails only
 * that call), grows and signs the tree, and stores the block, its index rows, the tiles, the
 * checkpoint and the new head in one statement. What it read under the lock is then this
 * process's prediction of the ledger, on which its next groups are decided ahead of the lock.
 */
import pg from 'pg';
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import type { AppendResult, Clock, Ledger, LedgerCheckpoint, LedgerHead, Subscription, SubscriptionHandler } from '../../../domain/ports.js';
import type { CheckpointSigner } from '../checkpoint/checkpointSigner.js';
import { dedupKeysAmong, eventsAfter, eventsOfStream, eventsOfTypes, firstMatch, leavesOf, verifierSegmentsOf } from '../blocks/blockReads.js';
import { createDedupMarks, type DedupMarks } from '../blocks/dedupMarks.js';
import { canonicalBytesAt, lastOf } from '../blocks/storedBlock.js';
import type { Hash } from '../merkle/rfc6962.js';
import { rootOf } from '../merkle/proofBuilder.js';
import { createTreeFrontier, type TreeFrontier } from '../merkle/treeFrontier.js';
import { createRecentEvents } from '../recentEvents.js';
import { createSubscription } from '../subscription.js';
import { createLedgerProofs } from '../tree/ledgerProofs.js';
import { createChunkedSubtrees, groupRootsFrom, groupTilesOf, isTiled, missingTile, tileOf } from '../tree/storedSubtree.js';
import { createTreeVerifier, tileKey, tileRangesEndingIn } from '../tree/treeVerifier.js';
import { createPgBlockReader, type Queryable } from './blockReader.js';
import { appendParams, decideGroup, frontierHashes, touchedBy, type DecidedGroup, type PendingAppend } from './decideGroup.js';
import { APPEND_BLOCK, HEAD_MOVED, IS_EVENT_ROW_FORMAT, IS_HASH_CHAIN_FORMAT, ledgerSchema, SCOPE_MARKS, STREAM_VERSIONS } from './schema.js';
import { malformedAppend } from '../malformedAppend.js';

export interface PostgresLedgerOptions {
  /** A postgres:// connection string. */
  readonly url: string;
  /** The schema holding the ledger's tables (default `tickvault`; tests use one each). */
  readonly schema?: string;
  readonly clock: Clock;
  /** Signs the checkpoint of every append group. */
  readonly signer: CheckpointSigner;
  /** How often a subscription looks for commits made by other processes (ms). */
  readonly pollMs?: number;
  readonly poolSize?: number;
}

/** How many of this process's newest commits are kept in memory for subscribers at the tail. */
const RECENT_EVENTS = 20_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Serialises schema creation when several processes start at once (CREATE IF NOT EXISTS races). */
export const SCHEMA_LOCK_KEY = 7_042_001;

/** The connection string without its password, for error messages. */
const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Events verified per read: large enough to amortise the query, small enough to hold little memory. */
const VERIFY_PAGE = 10_000;

/** Stream versions and dedup scopes kept for groups sealed ahead of the lock; past this they are read afresh. */
const MAX_PREDICTED_STREAMS = 50_000;

/** The failure of a group sealed ahead of the lock that the careful path resolves: another process appended. */
const isRetryable = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === HEAD_MOVED;

/** Current versions of `streams` (0 for a stream without events). */
const readVersions = async (db: Queryable, streams: readonly string[]): Promise<Map<string, number>> => {
  const versions = new Map(streams.map((s) => [s, 0]));
  if (streams.length > 0) for (const r of (await db.query<{ stream: string; version: number }>(STREAM_VERSIONS, [streams])).rows) versions.set(r.stream, r.version);
  return versions;
};

/** Stored high-water marks of `scopes` (absent: the scope has none). */
const readMarks = async (db: Queryable, scopes: readonly string[]): Promise<Map<string, number>> => {
  const marks = new Map<string, number>();
  if (scopes.length > 0) for (const r of (await db.query<{ scope: string; hi: string }>(SCOPE_MARKS, [scopes])).rows) marks.set(r.scope, Number(r.hi));
  return marks;
};

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
    const older = (await setup.query(IS_HASH_CHAIN_FORMAT, [schema])).rowCount !== 0 ? 'the hash-chain format' : (await setup.query(IS_EVENT_ROW_FORMAT, [schema])).rowCount !== 0 ? 'the one-row-per-event format' : undefined;
    if (older !== undefined) throw new Error(`it is in ${older} of earlier versions: run \`tickvault migrate\` to re-record it as a transparency log written in blocks`);
    await setup.query(ledgerSchema(schema));
    await setup.query('COMMIT');
  } catch (e) {
    await setup.query('ROLLBACK').catch(() => undefined);
    setup.release();
    await pool.end();
    throw new Error(`cannot create the ledger schema "${schema}" at ${redact(options.url)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  setup.release();
  const blocks = createPgBlockReader(pool);

  const readHead = async (): Promise<LedgerHead> => {
    const r = await pool.query<{ position: string; root: Buffer }>('SELECT position, root FROM head WHERE id = 1');
    return { position: Number(r.rows[0]!.position), root: r.rows[0]!.root.toString('hex') };
  };

  const CHECKPOINT_COLUMNS = 'size, root, time, note';
  const toCheckpoint = (r: { size: string; root: Buffer; time: string; note: string }): LedgerCheckpoint => ({
    size: Number(r.size),
    root: r.root.toString('hex'),
    time: Number(r.time),
    note: r.note,
  });
  const checkpointsWhere = async (where: string, params: unknown[]): Promise<LedgerCheckpoint[]> =>
    (await pool.query<{ size: string; root: Buffer; time: string; note: string }>(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE ${where}`, params)).rows.map(toCheckpoint);
  const latestCheckpoint = async (): Promise<LedgerCheckpoint | undefined> => (await checkpointsWhere('TRUE ORDER BY size DESC LIMIT 1', []))[0];
  const checkpointAt = async (size: number): Promise<LedgerCheckpoint | undefined> => (await checkpointsWhere('size >= $1 ORDER BY size LIMIT 1', [size]))[0];

  const smallSubtrees = createChunkedSubtrees({
    // A proof's group lies in the frame its event bytes were just read from (frames are aligned on
    // the tree): that span is reused; only leaves that run past their block read whole blocks.
    async leaves(start, count) {
      const span = await blocks.spanAt(start + 1, start + count);
      return leavesOf(span !== undefined && lastOf(span) >= start + count ? [span] : await blocks.blocksAfter(start, count), start, count);
    },
    async groupRoots(chunk) {
      const { level, from, to } = groupTilesOf(chunk);
      const r = await pool.query<{ idx: string; hash: Buffer }>('SELECT idx, hash FROM tree_tiles WHERE level = $1 AND idx BETWEEN $2 AND $3', [level, from, to]);
      return groupRootsFrom(chunk, r.rows);
    },
  });
  const storedSubtree = async (start: number, size: number): Promise<Hash> => {
    if (!isTiled(size)) return smallSubtrees.root(start, size);
    const { level, index } = tileOf(start, size);
    const r = await pool.query<{ hash: Buffer }>('SELECT hash FROM tree_tiles WHERE level = $1 AND idx = $2', [level, index]);
    if (r.rows[0] === undefined) throw missingTile(start, size);
    return r.rows[0].hash;
  };

  /**
   * The head row's tree must be the one its events and tiles give, signed by its last checkpoint:
   * a ledger that is not is never extended (a new checkpoint would vouch for a tree that is not an
   * extension of the last one). It still opens, for reading, verifying and proving; appends are refused.
   */
  const refusalOf = async (): Promise<Error | undefined> => {
    // Appends lock the head row FOR UPDATE: holding it FOR SHARE keeps every process's appends out
    // while head, checkpoint and tree are compared, so they are one state of the ledger (a process
    // starting beside a busy writer read a head and a newer checkpoint and refused to append).
    const lock = await pool.connect();
    try {
      await lock.query('BEGIN');
      const r = await lock.query<{ position: string; root: Buffer; frontier: Buffer }>('SELECT position, root, frontier FROM head WHERE id = 1 FOR SHARE');
      return await compareWithHead(r.rows[0]!);
    } finally {
      await lock.query('COMMIT').catch(() => undefined);
      lock.release();
    }
  };
  const compareWithHead = async (row: { position: string; root: Buffer; frontier: Buffer }): Promise<Error | undefined> => {
    const size = Number(row.position);
    const checkpoint = await latestCheckpoint();
    const refuse = (why: string): Error => new Error(`the ledger in schema "${schema}" cannot be extended: ${why}; run \`tickvault verify\` to find what differs`);
    if ((checkpoint?.size ?? 0) !== size) return refuse(`its head is at ${size} events but its last checkpoint is of ${checkpoint?.size ?? 0}`);
    const frontier = createTreeFrontier({ size, hashes: frontierHashes(row.frontier) }).root();
    const stored = await rootOf(storedSubtree, size).catch((e: unknown) => e as Error);
    if (stored instanceof Error) return refuse(stored.message);
    if (!stored.equals(row.root) || !frontier.equals(row.root) || (checkpoint !== undefined && checkpoint.root !== stored.toString('hex'))) {
      return refuse(`the stored tree's root at ${size} events is not the root its head and checkpoint hold`);
    }
    return undefined;
  };
  const refusal = await refusalOf();

  /** The newest head position this process knows: its own commits, and others' as reads find them. */
  let head = (await readHead()).position;
  const commitListeners = new Set<() => void>();
  const recent = createRecentEvents(RECENT_EVENTS);
  let queue: PendingAppend[] = [];
  let closed = false;

  /**
   * What this process predicts the stored ledger to be once its groups in flight commit: the
   * head, and the versions of the streams it has read or written since it last saw the ledger
   * under the head lock. `undefined` until then, and again after any group fails: the next group
   * then takes the careful path, which reads everything under the lock and re-establishes it.
   */
  interface Prediction {
    head: LedgerHead;
    recordedAt: number;
    readonly versions: Map<string, number>;
    readonly tree: TreeFrontier;
    /** Marks of the scopes in `scopes`, as stored once the groups decided on this prediction commit. */
    readonly marks: DedupMarks;
    readonly scopes: Set<string>;
    /** Dedup keys of groups decided on this prediction and not yet committed: storage does not show them yet. */
    readonly pending: Set<string>;
  }
  let predicted: Prediction | undefined;

  /** Settles a group's calls once it is committed, strictly in position order. */
  const settle = (decided: DecidedGroup, calls: readonly PendingAppend[]): void => {
    if (decided.end.position > head) head = decided.end.position;
    for (const o of decided.outcomes) if (o.ok) recent.remember(o.result.appended);
    calls.forEach((c, i) => {
      const o = decided.outcomes[i]!;
      if (o.ok) c.resolve(o.result);
      else c.reject(o.error);
    });
    for (const l of commitListeners) l();
  };

  /**
   * The careful path: one transaction that locks the head, reads the versions of the group's
   * streams, the marks of its dedup scopes and the blocks that may hold its keys at or below
   * them, decides, and stores. Re-establishes the prediction.
   */
  const writeLocked = async (calls: readonly PendingAppend[]): Promise<void> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ position: string; root: Buffer; frontier: Buffer; recorded_at: string }>(
        'SELECT position, root, frontier, recorded_at FROM head WHERE id = 1 FOR UPDATE',
      );
      const h = locked.rows[0]!;
      const start = { position: Number(h.position), root: h.root.toString('hex') };
      const tree = createTreeFrontier({ size: start.position, hashes: frontierHashes(h.frontier) });
      const recordedAt = Math.max(options.clock.now(), Number(h.recorded_at));
      const { streams, keys, scopes } = touchedBy(calls);
      const versions = await readVersions(client, [...streams]);
      // Read under the lock: no other process can store a key of these scopes until this commits.
      const marks = createDedupMarks(await readMarks(client, [...scopes]));
      const probe = [...keys].filter((k) => !marks.isNew(k));
      const storedKeys = dedupKeysAmong(await blocks.blocksForKeys(probe, client), new Set(probe));
      const decided = decideGroup(calls, start, recordedAt, versions, storedKeys, marks, tree, options.signer);
      if (decided.tree !== undefined) await client.query(APPEND_BLOCK, appendParams(start, { ...decided, tree: decided.tree }));
      await client.query('COMMIT');
      predicted = { head: decided.end, recordedAt, versions, tree, marks, scopes, pending: new Set() };
      settle(decided, calls);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      for (const c of calls) c.reject(error);
    } finally {
      client.release();
    }
  };

  /**
   * One group. When this process's prediction holds, the group is decided and sealed against it
   * without waiting for the groups before it, and stored in one statement that checks, under the
   * head lock, that the head is exactly the predicted one: equal head hashes mean equal ledgers,
   * so every decision made from the prediction holds. Its statement waits on the lock while the
   * previous group commits, which is what lets sealing overlap the previous commit. A moved head
   * (another process appended) sends the group down the careful path.
   * `sealed` is called once the next group may be prepared; `previous` settles the group before.
   */
  const writeGroup = async (calls: readonly PendingAppend[], previous: Promise<void>, sealed: () => void): Promise<void> => {
    try {
      if (predicted === undefined) await previous;
      // A read for the prediction that fails (the server, or what the group carries) leaves the
      // group to the careful path, which reports the failure to its callers.
      const fast = await sealPredicted(calls).catch(() => {
        predicted = undefined;
        return undefined;
      });
      sealed();
      if (fast !== undefined) {
        const stored = await fast.stored;
        await previous;
        for (const k of fast.decided.keys) fast.prediction.pending.delete(k);
        if (stored === undefined) return settle(fast.decided, calls);
        if (!isRetryable(stored)) {
          for (const c of calls) c.reject(stored);
          return;
        }
      }
      await previous;
      await writeLocked(calls);
    } finally {
      sealed();
    }
  };

  /**
   * Decides and seals a group against the prediction and sends it; undefined when there is none
   * to trust. What the prediction lacks (streams and dedup scopes it has not seen, keys at or
   * below their mark) is read outside the lock: a commit by another process since would move the
   * head, and the store statement would refuse the group.
   */
  const sealPredicted = async (calls: readonly PendingAppend[]): Promise<{ decided: DecidedGroup; prediction: Prediction; stored: Promise<unknown> } | undefined> => {
    const p = predicted;
    if (p === undefined) return undefined;
    const { streams, keys, scopes } = touchedBy(calls);
    const unknownStreams = [...streams].filter((s) => !p.versions.has(s));
    const unknownScopes = [...scopes].filter((s) => !p.scopes.has(s));
    if (unknownStreams.length > 0 || unknownScopes.length > 0) {
      const [versions, marks] = await Promise.all([readVersions(pool, unknownStreams), readMarks(pool, unknownScopes)]);
      if (predicted !== p) return undefined;
      for (const [s, v] of versions) p.versions.set(s, v);
      p.marks.learn(marks);
      for (const s of unknownScopes) p.scopes.add(s);
    }
    const storedKeys = new Set([...keys].filter((k) => p.pending.has(k)));
    const probe = [...keys].filter((k) => !p.pending.has(k) && !p.marks.isNew(k));
    if (probe.length > 0) {
      for (const k of dedupKeysAmong(await blocks.blocksForKeys(probe), new Set(probe))) storedKeys.add(k);
      if (predicted !== p) return undefined;
    }
    const start = p.head;
    const recordedAt = Math.max(options.clock.now(), p.recordedAt);
    const decided = decideGroup(calls, start, recordedAt, p.versions, storedKeys, p.marks, p.tree, options.signer);
    p.head = decided.end;
    p.recordedAt = recordedAt;
    for (const k of decided.keys) p.pending.add(k);
    // Streams and scopes accumulate (one per symbol-day, per exchange and symbol): past a bound, the careful path starts afresh.
    if (p.versions.size > MAX_PREDICTED_STREAMS || p.scopes.size > MAX_PREDICTED_STREAMS) predicted = undefined;
    const stored =
      decided.tree === undefined
        ? Promise.resolve(undefined)
        : pool.query(APPEND_BLOCK, appendParams(start, { ...decided, tree: decided.tree })).then(
            () => undefined,
            (e: unknown) => {
              predicted = undefined;
              return e;
            },
          );
    return { decided, prediction: p, stored };
  };

  /** Groups prepared ahead of the one being stored: one seals while the previous one commits. */
  const MAX_IN_FLIGHT = 2;
  let inFlight = 0;
  let preparing = false;
  /** Settles when every group handed to writeGroup so far has settled. */
  let settled: Promise<void> = Promise.resolve();

  const pump = (): void => {
    if (preparing || inFlight >= MAX_IN_FLIGHT || queue.length === 0) return;
    const calls = queue;
    queue = [];
    preparing = true;
    inFlight++;
    let released = false;
    const sealed = (): void => {
      if (released) return;
      released = true;
      preparing = false;
      pump();
    };
    settled = writeGroup(calls, settled, sealed).finally(() => {
      inFlight--;
      pump();
    });
  };

  const readStored = async (after: number, limit: number): Promise<RecordedEvent[]> => {
    const events = eventsAfter(await blocks.blocksAfter(after, limit), after, limit);
    const last = events[events.length - 1];
    // Commits by other processes show up here; keep the known head current for subscriptions.
    if (last !== undefined && last.position > head) head = last.position;
    return events;
  };
  const readPage = async (after: number, limit: number): Promise<RecordedEvent[]> => recent.read(after, limit) ?? readStored(after, limit);

  const proofs = createLedgerProofs({
    subtree: storedSubtree,
    latestCheckpoint,
    checkpointAt,
    eventBytesAt: async (position) => {
      const b = await blocks.spanAt(position, position);
      return b === undefined ? undefined : canonicalBytesAt(b, position - b.first);
    },
  });

  return {
    append(events, opts) {
      if (closed) return Promise.reject(new Error('the ledger is closed'));
      if (refusal !== undefined) return Promise.reject(refusal);
      const malformed = malformedAppend(events);
      if (malformed !== undefined) return Promise.reject(malformed);
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, options: opts, resolve, reject });
        // Deferred a tick so that calls made together share one transaction.
        setImmediate(pump);
      });
    },
    read: readPage,
    async readStream(stream, opts) {
      const through = opts?.throughPosition ?? Number.MAX_SAFE_INTEGER;
      return eventsOfStream(await blocks.blocksOfStream(stream, through), stream, through);
    },
    async readTypes(after, types, limit) {
      const wanted = new Set(types);
      const out: RecordedEvent[] = [];
      // A few blocks holding the types at a time, until the limit or the end.
      for (let from = after; out.length < limit; ) {
        const found = await blocks.blocksOfTypes(from, [...wanted]);
        if (found.length === 0) break;
        out.push(...eventsOfTypes(found, from, wanted, limit - out.length));
        from = lastOf(found[found.length - 1]!);
      }
      return out;
    },
    async streamsMatching(prefix, suffix) {
      const r = await pool.query<{ name: string }>(`SELECT name FROM streams WHERE name LIKE $1 ESCAPE '\\' ORDER BY name COLLATE "C"`, [
        `${likeEscape(prefix)}%${likeEscape(suffix)}`,
      ]);
      return r.rows.map((row) => row.name);
    },
    findByDedupKey: async (key) => firstMatch(await blocks.blocksForKeys([key]), (e) => e.dedupKey === key),
    findById: async (id) => firstMatch(await blocks.blocksForId(id), (e) => e.id === id),
    // The stored head, which may include this process's groups committed but not yet settled:
    // it is not taken as the subscriptions' head, which would send them to the database for
    // events about to be handed to them from memory.
    head: readHead,
    async positionRecordedBy(t) {
      // recorded_at never decreases with position, so the largest position at or before t is the answer.
      const r = await pool.query<{ p: string | null }>('SELECT first + count - 1 AS p FROM blocks WHERE recorded_at <= $1 ORDER BY recorded_at DESC, first DESC LIMIT 1', [t]);
      return Number(r.rows[0]?.p ?? 0);
    },
    subscribe(after: number, handler: SubscriptionHandler, opts?: { batchSize?: number }): Subscription {
      return createSubscription({
        after,
        batchSize: opts?.batchSize ?? 1000,
        handler,
        read: readPage,
        headPosition: () => head,
        onCommit: (listener) => {
          commitListeners.add(listener);
          return () => commitListeners.delete(listener);
        },
        pollMs: options.pollMs ?? 200,
      });
    },
    async verify(opts) {
      const verifier = createTreeVerifier(options.signer.verifierKey, opts?.from);
      // What is committed when the run starts: the run ends there, so steady appends cannot keep it going.
      const total = (await readHead()).position;
      // From the database, never the in-memory tail or the decoded blocks: verify checks what is stored.
      blocks.forget();
      smallSubtrees.forget();
      while (verifier.size < total) {
        const after = verifier.size;
        const { segments, malformed } = verifierSegmentsOf(await blocks.blocksAfter(after, Math.min(VERIFY_PAGE, total - after), false), after, total);
        const last = segments[segments.length - 1];
        if (last !== undefined) {
          const through = last.block.first + last.to - 1;
          const tiles = new Map<string, Buffer>();
          for (const range of tileRangesEndingIn(after, through)) {
            const t = await pool.query<{ idx: string; hash: Buffer }>('SELECT idx, hash FROM tree_tiles WHERE level = $1 AND idx BETWEEN $2 AND $3', [range.level, range.from, range.to]);
            for (const row of t.rows) tiles.set(tileKey(range.level, Number(row.idx)), row.hash);
          }
          const bad = verifier.check({ segments, tiles, checkpoints: await checkpointsWhere('size > $1 AND size <= $2 ORDER BY size', [after, through]) });
          if (bad !== undefined) return bad;
        }
        if (malformed !== undefined) return { ok: false, checked: verifier.checked, position: malformed.position, reason: malformed.message };
        if (last === undefined) break;
        opts?.onProgress?.(verifier.size, total);
      }
      if (verifier.size < total) {
        // The head row says more events are stored than there are: the tail was deleted.
        return { ok: false, checked: verifier.checked, position: verifier.size + 1, reason: `the head says ${total} events are stored, but only ${verifier.size} are` };
      }
      return verifier.result();
    },
    verifierKey: () => options.signer.verifierKey,
    latestCheckpoint,
    checkpointAt,
    inclusionProof: (position, treeSize) => proofs.inclusionProof(position, treeSize),
    consistencyProof: (from, to) => proofs.consistencyProof(from, to),
    async close() {
      if (closed) return;
      closed = true;
      pump();
      while (inFlight > 0 || queue.length > 0) await settled;
      commitListeners.clear();
      await pool.end();
    },
  };
};

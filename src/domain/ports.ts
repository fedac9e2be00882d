/**
 * The map of every seam in tickvault. Each interface here is a port; each folder under
 * src/adapters/ holds the implementations of one port (embedded and cluster). Every Ledger,
 * LiveStore, BatchStore, JobQueue, Broadcaster, Bus and SnapshotStore implementation passes its
 * port's contract suite under test/contracts/.
 *
 *   Ledger        src/adapters/ledger/      sqlite (embedded), postgres
 *   LiveStore     src/adapters/live-store/  memory (embedded), redis
 *   BatchStore    src/adapters/batch-store/ sqlite (embedded), hbase
 *   BatchEngine   src/adapters/batch-engine/ spark (spark-submit); the ts engine, the batch projector's
 *                                           own fold, needs no server: src/projections/batch/tsBatchEngine.ts
 *   JobQueue      src/adapters/jobs/        in-process (embedded), bullmq
 *   Broadcaster   src/adapters/broadcast/   in-process (embedded), redis pub/sub
 *   Bus           src/adapters/bus/         kafka (cluster; the embedded profile has no bus and no relay),
 *                                           in-process (used by tests only: it passes the Bus contract and
 *                                           runs the relay and consumer-group alert engine tests without Kafka)
 *   SnapshotStore src/adapters/snapshot-store/ sqlite (embedded), postgres
 *   MarketSource  src/adapters/sources/     simulator, replay, binance, coinbase, coingecko, sentiment
 *   WebhookPoster src/adapters/webhooks/    http (signed POST with a timeout)
 *   QuadraticSolver src/adapters/optimiser/ quadprog (Goldfarb-Idnani dual active set; the portfolio optimiser's QPs)
 *   BookLake      src/adapters/lake/orderbook/ Parquet files under raw/orderbook/: a local folder (embedded), HDFS (cluster)
 *   BookJournal   src/adapters/lake/orderbook/ the book archive's write-ahead file (acknowledged rows not yet in the lake)
 *   ModelEngine   src/adapters/models/      embedded (the domain's trainer, src/domain/models/), spark (MLlib on the cluster)
 *   Clock, IdGenerator                      src/adapters/system/
 *
 * One port has its implementation outside adapters/, because it is a read model rather than a
 * server: AlertBook (src/read-models/alertBook.ts, in memory, rebuilt from the ledger on start).
 */
import type { DomainEvent } from './events/catalogue.js';
import type { BookRow, JournalEntry } from './orderbook/archive/bookRow.js';
import type { BookSnapshotData, BookUpdateData } from './orderbook/bookEvents.js';
import type { FeatureRow } from './features/featureRow.js';
import type { ModelSpec, TrainedModel } from './models/index.js';
import type { NewEvent, RecordedEvent } from './events/envelope.js';
import type { Candle } from './folds/candle.js';
import type { MinuteSlot } from './folds/minuteSlot.js';
import type { LatestTrade } from './folds/series.js';
import type {
  AlertRaisedData,
  AlertResolvedData,
  AlertRuleRegisteredData,
  AlertSubscriptionCreatedData,
  Severity,
  WebhookDeliveryAttemptedData,
} from './events/signals.js';

// ─── Ledger: the source of truth ────────────────────────────────────────────────────────────

/** `any`: no check; `no_stream`: the stream must not exist; a number: the stream's current version. */
export type ExpectedVersion = 'any' | 'no_stream' | number;

export interface AppendOptions {
  /** Expected current version per stream; streams not named are appended with `any`. */
  readonly expected?: Readonly<Record<string, ExpectedVersion>>;
}

export interface AppendResult {
  readonly appended: readonly RecordedEvent[];
  /** Events not appended because the ledger already holds their dedupKey (or an earlier item of the same call did). */
  readonly duplicates: readonly NewEvent[];
  readonly head: number;
}

export interface LedgerHead {
  readonly position: number;
  /** Root (hex) of the RFC 6962 tree over events 1..position (SHA-256 of nothing when empty). */
  readonly root: string;
}

/**
 * A signed statement of the ledger's tree: its size, root and time in the C2SP tlog-checkpoint
 * signed-note text (`note`), which is what a client keeps and checks with the public key.
 * The ledger signs one per append group.
 */
export interface LedgerCheckpoint {
  readonly size: number;
  /** Root hash, hex. */
  readonly root: string;
  /** When the group was recorded (epoch ms). */
  readonly time: number;
  readonly note: string;
}

/** That an event is in the tree of a signed checkpoint (RFC 6962 audit path). */
export interface InclusionProof {
  readonly position: number;
  /** position − 1. */
  readonly leafIndex: number;
  /** The event's canonical bytes, whose SHA-256(0x00 ‖ bytes) is the leaf. */
  readonly eventBytes: string;
  /** Sibling hashes (hex), leaf's sibling first. */
  readonly path: readonly string[];
  readonly checkpoint: LedgerCheckpoint;
}

/** That the tree of one checkpoint is a prefix of the tree of a later one (RFC 6962 §2.1.2). */
export interface ConsistencyProof {
  readonly from: LedgerCheckpoint;
  readonly to: LedgerCheckpoint;
  /** Hashes (hex). */
  readonly path: readonly string[];
}

/** The right edge of the tree as verified: lets the next verification start there instead of at 1. */
export interface VerifiedTree {
  readonly size: number;
  /** Complete-subtree roots (hex), largest first. */
  readonly frontier: readonly string[];
}

export type VerifyResult =
  | {
      readonly ok: true;
      /** Events recomputed in this run (after `from` when incremental). */
      readonly checked: number;
      readonly head: LedgerHead;
      /** The newest checkpoint whose root and signature were checked, if any. */
      readonly checkpoint: LedgerCheckpoint | undefined;
      readonly verified: VerifiedTree;
    }
  | {
      readonly ok: false;
      readonly checked: number;
      /** The first position that does not match (an event, or the last event a bad checkpoint covers). */
      readonly position: number;
      readonly reason: string;
    };

export interface VerifyOptions {
  readonly onProgress?: (checked: number, total: number) => void;
  /** Continue from a tree an earlier run verified: events up to its size are trusted, not re-read. */
  readonly from?: VerifiedTree;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Resolves when the subscription has delivered everything that existed when it started. */
  readonly caughtUp: Promise<void>;
  /** Rejects if the handler throws (the subscription stops); resolves when stopped. */
  readonly done: Promise<void>;
}

export type SubscriptionHandler = (events: readonly RecordedEvent[]) => Promise<void> | void;

export interface Ledger {
  /**
   * Appends atomically: all or nothing. Assigns position, streamVersion, recordedAt and the leaf
   * hash, and signs a checkpoint of the tree with the group. Throws ExpectedVersionConflictError
   * when an expected version does not match.
   */
  append(events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Events with position > `after`, in order, at most `limit`. */
  read(after: number, limit: number): Promise<RecordedEvent[]>;
  /** One stream in order, optionally only events at or before a ledger position. */
  readStream(stream: string, options?: { throughPosition?: number }): Promise<RecordedEvent[]>;
  /**
   * Events of one of `types` with position > `after`, in order, at most `limit`. Found by
   * position, not by an index on type: meant for following a few kinds of event from a recent
   * position (a catch-up from 0 looks at every event).
   */
  readTypes(after: number, types: readonly string[], limit: number): Promise<RecordedEvent[]>;
  /** Names of streams that start with `prefix` and end with `suffix`. */
  streamsMatching(prefix: string, suffix: string): Promise<string[]>;
  findByDedupKey(key: string): Promise<RecordedEvent | undefined>;
  /** The event with this id (ids are unique in a ledger). */
  findById(id: string): Promise<RecordedEvent | undefined>;
  head(): Promise<LedgerHead>;
  /** The last position recorded at or before `t` (0 when none). */
  positionRecordedBy(t: number): Promise<number>;
  /**
   * Delivers every event with position > `after`, in order, in batches: first what is stored
   * (catch-up), then new events as they are committed. A handler's batch is fully handled
   * before the next is delivered.
   */
  subscribe(after: number, handler: SubscriptionHandler, options?: { batchSize?: number }): Subscription;
  /**
   * Recomputes every leaf from the stored event bytes, the tree from the leaves (and checks the
   * stored subtree hashes against it), and every stored checkpoint's root and signature; names
   * the first position that does not match.
   */
  verify(options?: VerifyOptions): Promise<VerifyResult>;
  /** The C2SP verifier key (`<origin>+<key id>+<base64 key>`) its checkpoints are signed with. */
  verifierKey(): string;
  /** The newest signed checkpoint, undefined while the ledger is empty. */
  latestCheckpoint(): Promise<LedgerCheckpoint | undefined>;
  /** The smallest signed checkpoint of at least `size` events, undefined when none is that large. */
  checkpointAt(size: number): Promise<LedgerCheckpoint | undefined>;
  /**
   * The audit path of the event at `position` in the tree of the smallest checkpoint of at least
   * `treeSize` events (default: the newest). NotFoundError when there is no such event or checkpoint.
   */
  inclusionProof(position: number, treeSize?: number): Promise<InclusionProof>;
  /** Between the checkpoints of exactly `from` and `to` events (NotFoundError when either is not a checkpoint). */
  consistencyProof(from: number, to: number): Promise<ConsistencyProof>;
  close(): Promise<void>;
}

// ─── Speed layer: live views ────────────────────────────────────────────────────────────────

export interface SeriesMeta {
  readonly exchange: string;
  readonly symbol: string;
  readonly maxEventTime: number;
  readonly lateEvents: number;
  readonly coveredFrom: number;
  readonly latest: LatestTrade | undefined;
}

export interface SeriesSnapshot extends SeriesMeta {
  readonly minutes: ReadonlyArray<readonly [number, MinuteSlot]>;
}

export interface SeriesDelta extends SeriesMeta {
  readonly upserts: ReadonlyArray<readonly [number, MinuteSlot]>;
  readonly evictions: readonly number[];
}

export interface SeriesMinute {
  readonly exchange: string;
  readonly minute: number;
  readonly slot: MinuteSlot;
}

export interface LiveStore {
  /** The projection's checkpoint and the state it had committed with it. */
  load(projection: string): Promise<{ checkpoint: number; series: SeriesSnapshot[] }>;
  /** Writes a delta and the checkpoint in one atomic step. */
  commit(projection: string, delta: readonly SeriesDelta[], checkpoint: number): Promise<void>;
  /** The committed checkpoint alone (0 when none): cheap, so a projection can notice a store that lost its state. */
  checkpoint(projection: string): Promise<number>;
  seriesOf(symbol: string): Promise<SeriesMeta[]>;
  /** Minute slots of a symbol (every exchange) with from ≤ minute < to. */
  minutes(symbol: string, from: number, to: number): Promise<SeriesMinute[]>;
  symbols(): Promise<string[]>;
  /** Drops everything (used by tests and by a rebuild). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

// ─── Batch layer: recomputed views ──────────────────────────────────────────────────────────

export interface BatchViewMeta {
  readonly view: string;
  readonly symbol: string;
  readonly version: number;
  /** Event time (minute-aligned) up to which this symbol's view is complete. */
  readonly computedThrough: number;
  /** Ledger position the view was computed through. */
  readonly throughPosition: number;
}

export interface BatchMinuteRow {
  readonly exchange: string;
  readonly symbol: string;
  readonly minute: number;
  readonly slot: MinuteSlot;
}

export interface BatchCandleRow {
  readonly exchange: string;
  readonly symbol: string;
  readonly interval: '1h' | '1d';
  readonly candle: Candle;
}

export interface BatchWrite {
  /** Symbol ranges whose rows are replaced wholesale (a recompute): deleted before the puts. */
  readonly replace: ReadonlyArray<{ readonly symbol: string; readonly from: number; readonly to: number }>;
  readonly minutes: readonly BatchMinuteRow[];
  readonly candles: readonly BatchCandleRow[];
  readonly meta: readonly BatchViewMeta[];
}

export interface BatchStore {
  checkpoint(projector: string): Promise<number>;
  /** Writes rows, meta and the checkpoint in one atomic (or idempotent, replayable) step. */
  commit(projector: string, write: BatchWrite, checkpoint: number): Promise<void>;
  minutes(symbol: string, from: number, to: number): Promise<BatchMinuteRow[]>;
  candles(symbol: string, interval: '1h' | '1d', from: number, to: number): Promise<BatchCandleRow[]>;
  meta(view: string, symbol: string): Promise<BatchViewMeta | undefined>;
  allMeta(view: string): Promise<BatchViewMeta[]>;
  /** A store that keeps view meta in memory forgets it: told of writes made around it (a Spark job's). */
  invalidateMeta?(): void;
  close(): Promise<void>;
}

/** Whole UTC days of one symbol, rebuilt as the ledger stood at `throughPosition`. */
export interface RecomputeTask {
  readonly symbol: string;
  /** yyyy-mm-dd, inclusive. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly throughPosition: number;
}

export interface BatchEngine {
  /** Recorded as `engine` in RecomputeCompleted and BatchViewPublished. */
  readonly name: string;
  /**
   * Rebuilds the task's symbol-days from the ledger, corrections applied, and writes them into
   * the BatchStore as the symbol's next view version (replacing those days' rows). Idempotent:
   * a retry after a crash writes the same rows again. Resolves with the version written.
   */
  recompute(task: RecomputeTask): Promise<{ version: number }>;
}

// ─── Jobs ───────────────────────────────────────────────────────────────────────────────────

export interface JobOptions {
  /** Total tries, the first included. */
  readonly attempts?: number;
  /** First retry delay; doubled on each further retry. */
  readonly backoffMs?: number;
}

export interface FailedJob {
  readonly id: string;
  readonly queue: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly error: string;
  readonly failedAt: number;
}

export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
}

export type JobHandler = (payload: unknown, job: { readonly id: string; readonly attempt: number }) => Promise<void>;

export interface JobQueue {
  /** Enqueues once per id: a second enqueue of the same id is ignored. */
  enqueue(queue: string, id: string, payload: unknown, options?: JobOptions): Promise<void>;
  process(queue: string, handler: JobHandler): void;
  failed(queue: string): Promise<FailedJob[]>;
  counts(queue: string): Promise<JobCounts>;
  /** Resolves when nothing is waiting or running (tests, orderly shutdown). */
  drain(queue: string): Promise<void>;
  close(): Promise<void>;
}

// ─── Fan-out to live subscribers ────────────────────────────────────────────────────────────

export interface Broadcaster {
  publish(channel: string, message: unknown): void;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, handler: (message: unknown) => void): () => void;
  close(): Promise<void>;
}

// ─── Bus: ledger events fanned out to topics ────────────────────────────────────────────────

export interface BusMessage {
  readonly topic: string;
  /** Partition key: the symbol, so that one symbol's events keep their order. */
  readonly key: string;
  readonly event: RecordedEvent;
  /** Set on consumed messages: the partition it was read from (publish ignores it; partitionOf says where a key goes). */
  readonly partition?: number;
}

export type BusHandler = (messages: readonly BusMessage[]) => Promise<void> | void;

export interface BusConsumer {
  /** Stops delivery; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Rejects if the handler throws (its batch is not committed, so the group gets it again); resolves when stopped. */
  readonly done: Promise<void>;
}

export interface BusConsumeOptions {
  /** A message that is not an event, with the reason: kept by the caller, never silently dropped. */
  readonly onRejected?: (reason: string, raw: string) => void;
  /**
   * Told after each rebalance which partitions this member now owns (every partition of its
   * topics it was given). A member is only ever rebalanced while another one joins or leaves.
   */
  readonly onAssigned?: (assigned: ReadonlyArray<{ readonly topic: string; readonly partition: number }>) => void;
}

export interface Bus {
  /**
   * Resolves once the bus acknowledged every message durably (every in-sync replica). When it
   * throws, some messages may have been written: the caller publishes them again, and consumers
   * drop the duplicates by event id.
   */
  publish(messages: readonly BusMessage[]): Promise<void>;
  /**
   * Joins consumer group `group` on `topics`; a new group starts at the oldest message. The
   * members of one group share the messages; each group gets all of them. A consumer drops
   * events whose id it has already handled, and commits a batch only after its handler resolved.
   */
  consume(group: string, topics: readonly string[], handler: BusHandler, options?: BusConsumeOptions): Promise<BusConsumer>;
  /** The partition of `topic` that messages keyed `key` are published to. */
  partitionOf(topic: string, key: string): Promise<number>;
  /** A publisher's checkpoint (the ledger position it has published through); 0 when none. */
  checkpoint(publisher: string): Promise<number>;
  saveCheckpoint(publisher: string, position: number): Promise<void>;
  close(): Promise<void>;
}

// ─── Snapshots: a follower's saved state ────────────────────────────────────────────────────

export interface StoredSnapshot {
  /** The ledger position the state was folded through: the follower resumes after it. */
  readonly checkpoint: number;
  /** The hash of the ledger event at `checkpoint`: a snapshot of another ledger does not match. */
  readonly checkpointHash: string;
  /** What the state's format means (the fold's version): a reader refuses any other. */
  readonly version: number;
  /** The state, as text the fold's own codec reads. */
  readonly state: string;
}

export interface SnapshotStore {
  /** The snapshot last saved under `name` (undefined when none). */
  load(name: string): Promise<StoredSnapshot | undefined>;
  /** Replaces the snapshot under `name` in one atomic step: a reader sees the old one or the new one, whole. */
  save(name: string, snapshot: StoredSnapshot): Promise<void>;
  close(): Promise<void>;
}

// ─── Sources ────────────────────────────────────────────────────────────────────────────────

export type SourceItem =
  | { readonly kind: 'trade'; readonly data: unknown }
  | { readonly kind: 'candle'; readonly data: unknown }
  | { readonly kind: 'snapshot'; readonly data: unknown }
  | { readonly kind: 'sentiment'; readonly data: unknown }
  | { readonly kind: 'gap'; readonly data: unknown }
  | { readonly kind: 'gapHealed'; readonly data: unknown }
  /** A book was found wrong or incomplete and is rebuilt: recorded in the ledger as BookResynced. */
  | { readonly kind: 'bookResync'; readonly data: unknown }
  | BookItem
  | { readonly kind: 'rejected'; readonly reason: string; readonly raw: unknown };

/**
 * Order-book snapshots and updates, decoded and checked by the connector's book keeper. They are
 * not ledger facts one by one (books change far more often than trades): whoever ingests a source
 * hands them to its book consumer (the lake, the live book views), and the ledger keeps a digest.
 */
export type BookItem =
  | { readonly kind: 'bookSnapshot'; readonly data: BookSnapshotData }
  | { readonly kind: 'bookUpdate'; readonly data: BookUpdateData };

export interface SourceBatch {
  /** Where these came from, recorded in each event's meta (`simulator`, `replay:BTCUSDT-1m-2023-02-01.csv`). */
  readonly source: string;
  readonly items: readonly SourceItem[];
}

export interface SourceProgress {
  readonly done: number;
  readonly total: number | undefined;
}

export interface MarketSource {
  readonly name: string;
  /**
   * Emits batches until the source ends or `signal` aborts. Awaiting `emit` is the
   * backpressure: a source never has more than one batch in flight.
   */
  run(emit: (batch: SourceBatch) => Promise<void>, signal: AbortSignal): Promise<void>;
  progress(): SourceProgress;
  /** Live connectors: counters per connector (messages, rejected, reconnects, gaps, lagMs...). */
  connectorStats?(): Readonly<Record<string, Readonly<Record<string, number>>>>;
}

// ─── Alerts: the alert book and webhooks ────────────────────────────────────────────────────

export interface AlertRecord extends AlertRaisedData {
  readonly position: number;
  readonly recordedAt: number;
  resolved: (AlertResolvedData & { readonly position: number }) | null;
}

export interface RuleRecord extends AlertRuleRegisteredData {
  readonly position: number;
  readonly actor: string;
  retired: { readonly position: number; readonly actor: string; readonly reason: string } | null;
}

export interface SubscriptionRecord extends AlertSubscriptionCreatedData {
  readonly position: number;
  readonly actor: string;
}

export interface DeliveryRecord extends WebhookDeliveryAttemptedData {
  readonly position: number;
  readonly recordedAt: number;
}

/** What the alert feed sends: one ledger event about an alert, with its position. */
export type AlertFeedMessage =
  | { readonly type: 'alert-raised'; readonly position: number; readonly alert: AlertRaisedData }
  | { readonly type: 'alert-resolved'; readonly position: number; readonly resolution: AlertResolvedData };

export interface AlertQuery {
  readonly symbol?: string;
  readonly severity?: Severity;
  readonly rule?: string;
  readonly from?: number;
  readonly to?: number;
  readonly limit: number;
  /** Paging: only alerts recorded before this ledger position (the previous page's `next`). */
  readonly before?: number;
}

export interface AlertBook {
  /** Folds one event; returns the feed message when the event is about an alert. */
  apply(e: DomainEvent): AlertFeedMessage | undefined;
  alerts(q: AlertQuery): { alerts: AlertRecord[]; next: number | null };
  alert(id: string): AlertRecord | undefined;
  /** Feed messages with position > `after`, oldest first (WebSocket catch-up). */
  messagesAfter(after: number): AlertFeedMessage[];
  rules(): RuleRecord[];
  subscriptions(): SubscriptionRecord[];
  subscription(id: string): SubscriptionRecord | undefined;
  deliveries(subscriptionId: string): DeliveryRecord[];
  /** True once a delivery of this key ended (delivered or dead-lettered). */
  deliveryEnded(subscriptionId: string, deliveryKey: string): boolean;
}

/** One webhook delivery: the body is signed with the subscription's secret. */
export interface WebhookPost {
  readonly url: string;
  readonly secret: string;
  readonly idempotencyKey: string;
  readonly body: string;
}

/** Resolves with the status of a 2xx answer; throws `WebhookDeliveryError` (with the status when there is one) otherwise. */
export type WebhookPoster = (post: WebhookPost) => Promise<number>;

// ─── Optimiser: quadratic programs ──────────────────────────────────────────────────────────

/**
 * minimise ½ xᵀ D x − dᵀ x subject to aᵀx = b for each equality and aᵀx ≥ b for each inequality;
 * D symmetric positive definite (dense, row-major, 0-indexed).
 */
export interface QuadraticProgram {
  readonly D: readonly (readonly number[])[];
  readonly d: readonly number[];
  readonly equalities: readonly { readonly a: readonly number[]; readonly b: number }[];
  readonly inequalities: readonly { readonly a: readonly number[]; readonly b: number }[];
}

/** The minimiser, or why there is none (inconsistent constraints, D not positive definite). */
export type QuadraticSolution = { readonly ok: true; readonly x: number[] } | { readonly ok: false; readonly reason: string };

export type QuadraticSolver = (program: QuadraticProgram) => QuadraticSolution;

// ─── Order-book lake: interval files of book rows, and the archive's journal ───────────────

export interface BookLake {
  /** The lake's root URI, for messages (`file:///…`, `hdfs://…`). */
  readonly uri: string;
  /**
   * Writes one interval file (`file` is lake-relative, under raw/orderbook/) whole: a reader sees
   * all of it or nothing, and once this resolves it survives a crash. An existing file is replaced.
   */
  writeRows(file: string, rows: readonly BookRow[]): Promise<void>;
  /** The rows' canonical texts exactly as stored, in order; undefined when the file is missing. */
  readRows(file: string): Promise<string[] | undefined>;
}

export interface BookJournal {
  /** Appends rows; once this resolves they survive a crash (the archive's acknowledgement point). */
  append(entries: readonly JournalEntry[]): Promise<void>;
  /** Replaces everything by `entries` (what is not in the lake yet) in one atomic step. */
  compact(entries: readonly JournalEntry[]): Promise<void>;
  /** Every entry held, in order; a last line a crash left torn (never acknowledged) is dropped. */
  load(): Promise<JournalEntry[]>;
  close(): Promise<void>;
}

// ─── Models: training ───────────────────────────────────────────────────────────────────────

/** What a model is trained on: one symbol's feature rows over [from, to) (bar starts), oldest first. */
export interface ModelTrainingInput {
  readonly symbol: string;
  readonly from: number;
  readonly to: number;
  /** The feature store's rows of the range: the embedded engine trains on them; a cluster engine may read the same range from its own features view. */
  readonly rows: readonly FeatureRow[];
}

/**
 * Trains a model under walk-forward validation (docs/models.md) and answers its report, its
 * serialised trees (the shared tree JSON, so the embedded predictor serves any engine's model) and
 * their hash. Prediction never goes through an engine: it is served from the serialised model.
 */
export interface ModelEngine {
  /** Recorded as `engine` in ModelTrained. */
  readonly name: string;
  train(spec: ModelSpec, input: ModelTrainingInput, onProgress?: (done: number, total: number) => void): Promise<TrainedModel>;
}

// ─── Exclusive locks: work that one process at a time may do ────────────────────────────────

/**
 * Named locks a process holds while it does work that must run once across a cluster (the ingest
 * sequencer, the projections that own a shared checkpoint). A lock ends with its holder's
 * connection, so a killed holder frees it without anyone's help.
 */
export interface ExclusiveLocks {
  /** True when this process now holds `name` (or already did); false while another process holds it. */
  tryAcquire(name: string): Promise<boolean>;
  /** Called once when the locks' connection to their server ends: what they guarded must stop, and none can be taken any more. */
  onLost(handler: (error: Error) => void): void;
  /** Releases every lock this process holds. */
  close(): Promise<void>;
}

// ─── System ─────────────────────────────────────────────────────────────────────────────────

export interface Clock {
  now(): number;
}

export interface IdGenerator {
  /** Unique, time-ordered ids (UUIDv7). */
  next(): string;
}

/**
 * The alert engine as a member of a bus consumer group (cluster profile): it consumes the trades
 * topic the relay publishes, keyed by symbol, so a symbol and all its exchanges are in one
 * partition, and each member folds only the partitions it owns — one alert fold per partition.
 * What it concludes is appended through the same RecordAlerts command as the ledger engine's, so
 * alerts reach `crypto.alerts` through the relay, and the deterministic alert ids plus the
 * ledger's dedup keys make a second conclusion (a restarted member, or a partition that moved)
 * a duplicate the ledger drops.
 *
 * Rules are ledger events and must reach every member whole: the engine reads them from the
 * ledger (the `alert-rules/` streams, refreshed whenever a message is newer than what it has
 * read) and feeds each partition's fold the rule events in ledger-position order between its
 * trades, exactly where a fold over the whole ledger would see them.
 *
 * Snapshots are per partition, keyed by the ledger position of the last event folded. A
 * partition that is new to this member (first start, or taken over after a rebalance) restores
 * its snapshot and then, before its first message, folds from the ledger the partition's trades
 * between the snapshot and that message: the group's committed offset may be past the
 * snapshot, and what lies between is exactly what the ledger holds. So the result never depends
 * on which member folded what, or when it was killed. Messages at or before a partition's
 * position (redeliveries, a relay's republish) are skipped.
 *
 * One difference from the ledger engine, by design: the watermark is per partition (its own
 * trades'), so a stale feed is noticed when its partition's other symbols move the watermark on.
 */
import { upcastEvent, type EventType } from '../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import { createAlertFold, type AlertOutput } from '../../domain/detectors/alertFold.js';
import type { Bus, BusConsumer, BusMessage, Clock, Ledger, SnapshotStore } from '../../domain/ports.js';
import type { CommandOrigin } from '../../commands/commandContext.js';
import { ALERT_ENGINE_ACTOR } from '../../commands/recordAlerts.js';
import { keyOf, TOPICS, topicOf } from '../relay/topics.js';
import type { AlertEngine } from './alertEngine.js';
import { restoreFoldAt, saveFoldAt, silentLog, type AlertEngineLog, type FoldAt } from './foldSnapshots.js';

const RULE_STREAMS = 'alert-rules/';
const READ_PAGE = 5_000;
/** The first page waitFor reads when it has to look at the ledger. */
const FIRST_CHECK_PAGE = 100;

export interface PartitionedAlertEngineStats {
  /** Partitions folded by this member now, with the ledger position each has folded through. */
  readonly partitions: Readonly<Record<number, number>>;
  /** Partitions this member took up (first start or after a rebalance), and from which snapshot position. */
  readonly restored: ReadonlyArray<{ readonly partition: number; readonly from: number }>;
  readonly snapshotsSaved: number;
  readonly raised: number;
  readonly resolved: number;
  readonly duplicates: number;
  /** Times the consumer failed and was started again. */
  readonly restarts: number;
}

/**
 * The platform's AlertEngine, for one member: `waitFor(position)` resolves once every trade up
 * to `position` of the partitions it owns is folded and its alerts recorded (a group of one owns
 * them all); `stats()` sums its partitions (checkpoint: the lowest). `stop()` leaves the group
 * and saves each partition's snapshot.
 */
export interface PartitionedAlertEngine extends AlertEngine {
  partitionStats(): PartitionedAlertEngineStats;
}

export interface PartitionedAlertEngineDeps {
  readonly ledger: Ledger;
  readonly bus: Bus;
  /** The consumer group: every member of one deployment uses the same. */
  readonly group: string;
  readonly allowedLatenessMs: number;
  readonly record: (outputs: readonly AlertOutput[], origin: CommandOrigin) => Promise<{ appended: number; duplicates: number }>;
  readonly snapshots: SnapshotStore;
  readonly clock: Clock;
  readonly snapshotEveryEvents: number;
  readonly snapshotIntervalMs: number;
  readonly log?: AlertEngineLog;
  /** How long to wait before consuming again after the consumer failed. */
  readonly retryMs?: number;
  /** How often waitFor looks again. */
  readonly pollMs?: number;
}

interface PartitionFold {
  fold: FoldAt['fold'];
  checkpoint: number;
  checkpointHash: string;
  /** Position through which its alerts are in the ledger. */
  recorded: number;
  /** False until the ledger between its snapshot and its first message is folded. */
  joined: boolean;
  savedThrough: number;
  savedAt: number;
}

const RULE_TYPES: readonly EventType[] = ['AlertRuleRegistered', 'AlertRuleRetired'];
const isRuleEvent = (e: RecordedEvent): boolean => (RULE_TYPES as readonly string[]).includes(e.type);

export const createPartitionedAlertEngine = (deps: PartitionedAlertEngineDeps): PartitionedAlertEngine => {
  const topic = TOPICS.pricesRaw;
  const stored = { ledger: deps.ledger, snapshots: deps.snapshots, options: { allowedLatenessMs: deps.allowedLatenessMs }, log: deps.log ?? silentLog };
  const snapshotName = (p: number): string => `alert-engine/${deps.group}/p${p}`;
  const partitions = new Map<number, PartitionFold>();
  const restored: Array<{ partition: number; from: number }> = [];
  /** Rule events of the ledger through `rulesThrough`, in position order. */
  const rules: RecordedEvent[] = [];
  let rulesThrough = 0;
  const partitionOfKey = new Map<string, number>();
  let snapshotsSaved = 0;
  let raised = 0;
  let resolved = 0;
  let duplicates = 0;
  let restarts = 0;
  let batchNo = 0;
  let consumer: BusConsumer | undefined;
  let stopped = false;
  /** True while a batch is being folded or recorded: the folds are then ahead of what the ledger holds and must not be saved. */
  let midBatch = false;
  let retryTimer: NodeJS.Timeout | undefined;
  /** The partitions the group gave this member at its last rebalance (none before the first). */
  let owned = new Set<number>();
  /** Every owned partition's trades through this position are folded and recorded. */
  let verifiedThrough = 0;
  /** The unfolded trade waitFor's last look stopped at: until its partition passes it, there is nothing to read. */
  let waitingOn: { partition: number; position: number } | undefined;

  /**
   * Reads rule events recorded after `rulesThrough` up to the ledger's head (which covers every
   * relayed message). The first time stream by stream (indexed, whatever the ledger's length);
   * after that by type from `rulesThrough`, which looks only at the events since the last batch
   * instead of reading every rule again.
   */
  const refreshRules = async (): Promise<void> => {
    const head = (await deps.ledger.head()).position;
    const fresh: RecordedEvent[] = [];
    if (rulesThrough === 0) {
      for (const stream of await deps.ledger.streamsMatching(RULE_STREAMS, '')) fresh.push(...(await deps.ledger.readStream(stream, { throughPosition: head })));
      fresh.sort((a, b) => a.position - b.position);
    } else {
      for (let after = rulesThrough; ; ) {
        const page = (await deps.ledger.readTypes(after, RULE_TYPES, READ_PAGE)).filter((e) => e.position <= head);
        fresh.push(...page);
        if (page.length < READ_PAGE) break;
        after = page[page.length - 1]!.position;
      }
    }
    rules.push(...fresh);
    rulesThrough = head;
  };

  const apply = (s: PartitionFold, raw: RecordedEvent, out: AlertOutput[]): void => {
    const e = upcastEvent(raw);
    if (e !== undefined) for (const o of s.fold.apply(e)) out.push(o);
    s.checkpoint = raw.position;
    s.checkpointHash = raw.hash;
  };

  const partitionOf = async (key: string): Promise<number> => {
    let p = partitionOfKey.get(key);
    if (p === undefined) partitionOfKey.set(key, (p = await deps.bus.partitionOf(topic, key)));
    return p;
  };

  /** Folds what the ledger holds for partition `p` strictly between the fold's position and `before`: rules, and the partition's trades. */
  const join = async (p: number, s: PartitionFold, before: number, out: AlertOutput[]): Promise<void> => {
    for (let after = s.checkpoint; after < before - 1; ) {
      const page = await deps.ledger.read(after, Math.min(READ_PAGE, before - 1 - after));
      if (page.length === 0) break;
      for (const e of page) {
        if (isRuleEvent(e) || (topicOf(e) === topic && (await partitionOf(keyOf(e))) === p)) apply(s, e, out);
      }
      after = page[page.length - 1]!.position;
    }
    s.joined = true;
  };

  const partitionFold = async (p: number): Promise<PartitionFold> => {
    let s = partitions.get(p);
    if (s !== undefined) return s;
    const at = await restoreFoldAt(stored, snapshotName(p));
    s = {
      fold: at?.fold ?? createAlertFold(stored.options),
      checkpoint: at?.checkpoint ?? 0,
      checkpointHash: at?.checkpointHash ?? '',
      recorded: at?.checkpoint ?? 0,
      joined: false,
      savedThrough: at?.checkpoint ?? 0,
      savedAt: deps.clock.now(),
    };
    partitions.set(p, s);
    restored.push({ partition: p, from: s.checkpoint });
    return s;
  };

  const save = async (p: number, s: PartitionFold, force: boolean): Promise<void> => {
    if (s.checkpoint === s.savedThrough) return;
    if (!force && s.checkpoint - s.savedThrough < deps.snapshotEveryEvents && deps.clock.now() - s.savedAt < deps.snapshotIntervalMs) return;
    const through = s.checkpoint;
    if (await saveFoldAt(stored, snapshotName(p), { fold: s.fold, checkpoint: through, checkpointHash: s.checkpointHash })) {
      snapshotsSaved++;
      s.savedThrough = through;
    }
    s.savedAt = deps.clock.now();
  };

  const handle = async (messages: readonly BusMessage[]): Promise<void> => {
    midBatch = true;
    if (messages.some((m) => m.event.position > rulesThrough)) await refreshRules();
    const out: AlertOutput[] = [];
    const touched = new Set<number>();
    for (const m of messages) {
      const p = m.partition ?? 0;
      const s = await partitionFold(p);
      if (m.event.position <= s.checkpoint) continue;
      if (!s.joined) await join(p, s, m.event.position, out);
      else for (const r of rules) if (r.position > s.checkpoint && r.position < m.event.position) apply(s, r, out);
      apply(s, m.event, out);
      touched.add(p);
    }
    if (out.length > 0) {
      const last = messages[messages.length - 1]!.event.position;
      const r = await deps.record(out, { actor: ALERT_ENGINE_ACTOR, correlationId: `alert-engine-${deps.group}-${last}-${batchNo++}`, source: 'alert-engine' });
      duplicates += r.duplicates;
      const raisedNow = out.filter((o) => o.type === 'AlertRaised').length;
      raised += raisedNow;
      resolved += out.length - raisedNow;
    }
    midBatch = false;
    for (const p of touched) {
      const s = partitions.get(p)!;
      s.recorded = s.checkpoint;
      await save(p, s, false);
    }
  };

  /** After a rebalance: drop what moved away; what stays is checked against the ledger again before its next message. */
  const onAssigned = (assigned: ReadonlyArray<{ topic: string; partition: number }>): void => {
    const mine = new Set(assigned.filter((o) => o.topic === topic).map((o) => o.partition));
    owned = mine;
    verifiedThrough = 0;
    waitingOn = undefined;
    for (const [p, s] of partitions) {
      if (!mine.has(p)) partitions.delete(p);
      else s.joined = false;
    }
  };

  const consume = async (): Promise<void> => {
    const c = await deps.bus.consume(deps.group, [topic], handle, { onAssigned });
    consumer = c;
    c.done.catch((e: unknown) => {
      if (stopped) return;
      // A failed batch was not committed and the folds may be past what was recorded: start over from the snapshots.
      stored.log.warn('alert engine: a batch failed; rejoining the group from the snapshots', e);
      partitions.clear();
      owned = new Set();
      verifiedThrough = 0;
      waitingOn = undefined;
      restarts++;
      retryTimer = setTimeout(() => void consume().catch((err: unknown) => stored.log.warn('alert engine: cannot rejoin the group', err)), deps.retryMs ?? 1_000);
    });
  };

  /** True once every trade through `target` of an owned partition is folded and recorded; scans the ledger from where it last got to. */
  const foldedThrough = async (target: number): Promise<boolean> => {
    if (target <= verifiedThrough) return true;
    if (owned.size === 0) return false;
    if (waitingOn !== undefined && owned.has(waitingOn.partition) && (partitions.get(waitingOn.partition)?.recorded ?? 0) < waitingOn.position) return false;
    waitingOn = undefined;
    // A partition's messages come in ledger order, so every owned partition is folded through its
    // `recorded`: nothing at or before the lowest of them needs reading. Without this a waitFor
    // after a burst read the whole burst back from the ledger.
    const lowest = Math.min(...[...owned].map((p) => partitions.get(p)?.recorded ?? 0));
    if (lowest > verifiedThrough) verifiedThrough = Math.min(lowest, target);
    // Pages grow from small: while the folds are behind, the first unfolded trade is usually near
    // the start, and a poll should not read (from the database, when far behind) a page it then drops.
    let pageSize = FIRST_CHECK_PAGE;
    for (let after = verifiedThrough; after < target; pageSize = Math.min(pageSize * 4, READ_PAGE)) {
      const page = await deps.ledger.read(after, Math.min(pageSize, target - after));
      if (page.length === 0) return false;
      for (const e of page) {
        if (topicOf(e) !== topic) continue;
        const p = await partitionOf(keyOf(e));
        if (owned.has(p) && (partitions.get(p)?.recorded ?? 0) < e.position) {
          waitingOn = { partition: p, position: e.position };
          return false;
        }
        verifiedThrough = e.position;
      }
      after = verifiedThrough = page[page.length - 1]!.position;
    }
    return true;
  };

  const waitFor = async (position: number): Promise<void> => {
    while (!(await foldedThrough(position))) {
      if (stopped) throw new Error('alert engine stopped before folding through position ' + position);
      await new Promise((r) => setTimeout(r, deps.pollMs ?? 50));
    }
  };

  let caughtUp: Promise<void> = Promise.resolve();

  const each = (f: (s: PartitionFold) => number): number[] => [...partitions.values()].map(f);

  return {
    async start() {
      await consume();
      const head = (await deps.ledger.head()).position;
      caughtUp = waitFor(head);
      caughtUp.catch(() => undefined); // observed by whoever awaits it
    },
    get caughtUp() {
      return caughtUp;
    },
    waitFor,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await consumer?.stop();
      if (!midBatch) for (const [p, s] of partitions) await save(p, s, true);
    },
    stats: () => {
      const recorded = each((s) => s.recorded);
      return {
        checkpoint: recorded.length === 0 ? 0 : Math.min(...recorded),
        restoredFrom: restored.length === 0 ? 0 : Math.min(...restored.map((r) => r.from)),
        snapshotsSaved,
        raised,
        resolved,
        duplicates,
        late: each((s) => s.fold.late()).reduce((x, y) => x + y, 0),
        rules: Math.max(0, ...each((s) => s.fold.activeRules())),
      };
    },
    partitionStats: () => ({
      partitions: Object.fromEntries([...partitions].map(([p, s]) => [p, s.checkpoint])),
      restored: [...restored],
      snapshotsSaved,
      raised,
      resolved,
      duplicates,
      restarts,
    }),
  };
};

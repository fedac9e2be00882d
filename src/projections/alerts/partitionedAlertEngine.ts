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
 * ledger (partitioned/ledgerRules.ts) and feeds each partition's fold the rule events in
 * ledger-position order between its trades, exactly where a fold over the whole ledger would
 * see them.
 *
 * Snapshots are per partition (partitioned/partitionFold.ts). A partition that is new to this
 * member (first start, or taken over after a rebalance) restores its snapshot and then, before
 * its first message, folds from the ledger what lies between (partitioned/joinFromLedger.ts).
 * So the result never depends on which member folded what, or when it was killed. Messages at
 * or before a partition's position (redeliveries, a relay's republish) are skipped. `waitFor`
 * asks the ledger which positions are the owned partitions' (partitioned/foldedThrough.ts).
 *
 * One difference from the ledger engine, by design: the watermark is per partition (its own
 * trades'), so a stale feed is noticed when its partition's other symbols move the watermark on.
 */
import type { AlertOutput } from '../../domain/detectors/alertFold.js';
import type { Bus, BusConsumer, BusMessage, Clock, Ledger, SnapshotStore } from '../../domain/ports.js';
import type { CommandOrigin } from '../../commands/commandContext.js';
import { ALERT_ENGINE_ACTOR } from '../../commands/recordAlerts.js';
import { TOPICS } from '../relay/topics.js';
import type { AlertEngine } from './alertEngine.js';
import { silentLog, type AlertEngineLog } from './foldSnapshots.js';
import { createFoldedThrough } from './partitioned/foldedThrough.js';
import { joinFromLedger } from './partitioned/joinFromLedger.js';
import { createLedgerRules } from './partitioned/ledgerRules.js';
import { foldInto, restorePartitionFold, savePartitionFold, type PartitionFold, type PartitionSnapshots } from './partitioned/partitionFold.js';
import { createPartitionLookup } from './partitioned/partitionLookup.js';

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

export const createPartitionedAlertEngine = (deps: PartitionedAlertEngineDeps): PartitionedAlertEngine => {
  const topic = TOPICS.pricesRaw;
  const snapshots: PartitionSnapshots = {
    stored: { ledger: deps.ledger, snapshots: deps.snapshots, options: { allowedLatenessMs: deps.allowedLatenessMs }, log: deps.log ?? silentLog },
    clock: deps.clock,
    group: deps.group,
    snapshotEveryEvents: deps.snapshotEveryEvents,
    snapshotIntervalMs: deps.snapshotIntervalMs,
  };
  const log = snapshots.stored.log;
  const partitions = new Map<number, PartitionFold>();
  const restored: Array<{ partition: number; from: number }> = [];
  const rules = createLedgerRules(deps.ledger);
  const partitionOf = createPartitionLookup(deps.bus, topic);
  const foldedThrough = createFoldedThrough({ ledger: deps.ledger, topic, partitionOf, recorded: (p) => partitions.get(p)?.recorded ?? 0 });
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

  const partitionFold = async (p: number): Promise<PartitionFold> => {
    let s = partitions.get(p);
    if (s !== undefined) return s;
    s = await restorePartitionFold(snapshots, p);
    partitions.set(p, s);
    restored.push({ partition: p, from: s.checkpoint });
    return s;
  };

  const save = async (p: number, s: PartitionFold, force: boolean): Promise<void> => {
    if (await savePartitionFold(snapshots, p, s, force)) snapshotsSaved++;
  };

  const handle = async (messages: readonly BusMessage[]): Promise<void> => {
    midBatch = true;
    if (messages.some((m) => m.event.position > rules.through)) await rules.refresh();
    const out: AlertOutput[] = [];
    const touched = new Set<number>();
    for (const m of messages) {
      const p = m.partition ?? 0;
      const s = await partitionFold(p);
      if (m.event.position <= s.checkpoint) continue;
      if (!s.joined) await joinFromLedger({ ledger: deps.ledger, topic, partitionOf }, p, s, m.event.position, out);
      else for (const r of rules.between(s.checkpoint, m.event.position)) foldInto(s, r, out);
      foldInto(s, m.event, out);
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
    foldedThrough.assigned(mine);
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
      log.warn('alert engine: a batch failed; rejoining the group from the snapshots', e);
      partitions.clear();
      foldedThrough.assigned(new Set());
      restarts++;
      retryTimer = setTimeout(() => void consume().catch((err: unknown) => log.warn('alert engine: cannot rejoin the group', err)), deps.retryMs ?? 1_000);
    });
  };

  const waitFor = async (position: number): Promise<void> => {
    while (!(await foldedThrough.check(position))) {
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

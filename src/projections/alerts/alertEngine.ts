/**
 * The alert engine: a ledger subscriber that runs the detectors (the alert fold) over trades and
 * appends what they conclude through the RecordAlerts command — never around the ledger.
 *
 * Restart and rebuild: the detectors' state is a pure function of the ledger, so the engine folds
 * from the start of the ledger (its checkpoint is in memory) and re-appends what it concludes; the
 * deterministic alert ids make every re-conclusion a duplicate the ledger drops. A crash between a
 * conclusion and its append therefore loses nothing, and a restart raises nothing twice. The
 * cluster profile keeps this contract with the engine in a Kafka consumer group (one owner per
 * symbol partition) and the same dedup keys in the ledger.
 */
import { upcastEvent } from '../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import { createAlertFold, type AlertOutput } from '../../domain/detectors/alertFold.js';
import type { Ledger, Subscription } from '../../domain/ports.js';
import type { CommandOrigin } from '../../commands/commandContext.js';
import { ALERT_ENGINE_ACTOR } from '../../commands/recordAlerts.js';
import { createFollowerProgress } from '../followerProgress.js';

export interface AlertEngineStats {
  readonly checkpoint: number;
  readonly raised: number;
  readonly resolved: number;
  readonly duplicates: number;
  readonly late: number;
  readonly rules: number;
}

export interface AlertEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly caughtUp: Promise<void>;
  /** Resolves once the engine has folded (and recorded the alerts of) every event up to `position`. */
  waitFor(position: number): Promise<void>;
  stats(): AlertEngineStats;
}

export interface AlertEngineDeps {
  readonly ledger: Ledger;
  readonly allowedLatenessMs: number;
  readonly record: (outputs: readonly AlertOutput[], origin: CommandOrigin) => Promise<{ appended: number; duplicates: number }>;
  readonly batchSize?: number;
}

export const createAlertEngine = (deps: AlertEngineDeps): AlertEngine => {
  const fold = createAlertFold({ allowedLatenessMs: deps.allowedLatenessMs });
  let checkpoint = 0;
  let raised = 0;
  let resolved = 0;
  let duplicates = 0;
  let subscription: Subscription | undefined;
  let batchNo = 0;
  const progress = createFollowerProgress();

  const handle = async (events: readonly RecordedEvent[]): Promise<void> => {
    const outputs: AlertOutput[] = [];
    for (const raw of events) {
      const e = upcastEvent(raw);
      if (e !== undefined) for (const o of fold.apply(e)) outputs.push(o);
    }
    const last = events[events.length - 1];
    if (last === undefined) return;
    if (outputs.length > 0) {
      const r = await deps.record(outputs, { actor: ALERT_ENGINE_ACTOR, correlationId: `alert-engine-${last.position}-${batchNo++}`, source: 'alert-engine' });
      duplicates += r.duplicates;
      for (const o of outputs) if (o.type === 'AlertRaised') raised++;
      resolved += outputs.length - outputs.filter((o) => o.type === 'AlertRaised').length;
    }
    checkpoint = last.position;
    progress.reached(checkpoint);
  };

  return {
    async start() {
      subscription = deps.ledger.subscribe(0, handle, { batchSize: deps.batchSize ?? 5_000 });
      progress.follow(subscription);
    },
    async stop() {
      await subscription?.stop();
    },
    caughtUp: progress.caughtUp,
    waitFor: progress.waitFor,
    stats: () => ({ checkpoint, raised, resolved, duplicates, late: fold.late(), rules: fold.activeRules() }),
  };
};

/**
 * The command side as the platform exposes it: every command handler bound to the ledger, and
 * what the platform does around two of them. What sources record is counted (for /metrics). A
 * correction or a recompute request also enqueues a recompute job, so the batch views are
 * rebuilt now rather than at the next scheduled pass (the ledger event alone guarantees that).
 */
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { createAlertSubscription } from '../commands/createAlertSubscription.js';
import { issueCorrection, type IssueCorrectionResult } from '../commands/issueCorrection.js';
import { recordObservations, type RecordObservations, type RecordResult } from '../commands/recordObservations.js';
import { registerAlertRule } from '../commands/registerAlertRule.js';
import { requestRecompute } from '../commands/requestRecompute.js';
import { retireAlertRule } from '../commands/retireAlertRule.js';
import type { JobQueue } from '../domain/ports.js';
import { enqueueRecompute } from '../projections/batch/recomputeJobs.js';
import type { IngestMetrics } from './ingestMetrics.js';

export interface PlatformCommands {
  registerAlertRule(input: unknown, origin: CommandOrigin): Promise<{ ruleId: string; position: number; created: boolean }>;
  retireAlertRule(ruleId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }>;
  createAlertSubscription(input: unknown, origin: CommandOrigin): Promise<{ subscriptionId: string; position: number }>;
  recordObservations(cmd: RecordObservations): Promise<RecordResult>;
  issueCorrection(input: unknown, origin: CommandOrigin): Promise<IssueCorrectionResult>;
  requestRecompute(input: unknown, origin: CommandOrigin): Promise<{ requestId: string; position: number }>;
}

export interface PlatformCommandDeps extends CommandDeps {
  readonly jobs: JobQueue;
  readonly metrics: IngestMetrics;
}

export const createPlatformCommands = (deps: PlatformCommandDeps): PlatformCommands => ({
  registerAlertRule: (input, origin) => registerAlertRule(deps, input, origin),
  retireAlertRule: (ruleId, reason, origin) => retireAlertRule(deps, ruleId, reason, origin),
  createAlertSubscription: (input, origin) => createAlertSubscription(deps, input, origin),
  recordObservations: async (cmd) => {
    const result = await recordObservations(deps, cmd);
    deps.metrics.recorded(cmd.origin.source, result);
    return result;
  },
  issueCorrection: async (input, origin) => {
    const result = await issueCorrection(deps, input, origin);
    // The correction's RecomputeRequested is appended right after it.
    await enqueueRecompute(deps.jobs, result.recomputeRequestId, result.position + 1);
    return result;
  },
  requestRecompute: async (input, origin) => {
    const result = await requestRecompute(deps, input, origin);
    await enqueueRecompute(deps.jobs, result.requestId, result.position);
    return result;
  },
});

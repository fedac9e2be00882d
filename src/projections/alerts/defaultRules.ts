/**
 * The rules a new installation starts with, so the simulator's flash crashes and volume bursts
 * show as alerts within minutes. Fixed rule ids make registering them on every start idempotent
 * (the ledger drops the repeat), and a user who retires one keeps it retired.
 */
import type { CommandDeps } from '../../commands/commandContext.js';
import { ALERT_ENGINE_ACTOR } from '../../commands/recordAlerts.js';
import { registerAlertRule } from '../../commands/registerAlertRule.js';

export const DEFAULT_ALERT_RULES = [
  { ruleId: 'default-flash-move', detector: 'flash-move', symbols: '*', severity: 'critical', params: {} },
  { ruleId: 'default-volume-spike', detector: 'volume-spike', symbols: '*', severity: 'warning', params: {} },
  { ruleId: 'default-divergence', detector: 'divergence', symbols: '*', severity: 'warning', params: {} },
  { ruleId: 'default-stale-feed', detector: 'stale-feed', symbols: '*', severity: 'info', params: {} },
] as const;

/**
 * The book detectors' rules a new installation starts with (run by the book signals, not the
 * alert engine), with their default params. Their ids are the ones these detectors raised under
 * when they were built in, so the alerts already recorded keep theirs.
 */
export const DEFAULT_BOOK_RULES = [
  { ruleId: 'book-spoofing', detector: 'spoofing', symbols: '*', severity: 'warning', params: {} },
  { ruleId: 'book-arbitrage', detector: 'book-arbitrage', symbols: '*', severity: 'warning', params: {} },
] as const;

/** Registers every default rule, trades' then books', in order, on behalf of the alert engine. */
export const registerDefaultAlertRules = async (deps: CommandDeps): Promise<void> => {
  for (const rule of [...DEFAULT_ALERT_RULES, ...DEFAULT_BOOK_RULES]) {
    await registerAlertRule(deps, rule, { actor: ALERT_ENGINE_ACTOR, correlationId: 'default-alert-rules', source: 'defaults' });
  }
};

/**
 * The rules a new installation starts with, so the simulator's flash crashes and volume bursts
 * show as alerts within minutes. Fixed rule ids make registering them on every start idempotent
 * (the ledger drops the repeat), and a user who retires one keeps it retired.
 */
export const DEFAULT_ALERT_RULES = [
  { ruleId: 'default-flash-move', detector: 'flash-move', symbols: '*', severity: 'critical', params: {} },
  { ruleId: 'default-volume-spike', detector: 'volume-spike', symbols: '*', severity: 'warning', params: {} },
  { ruleId: 'default-divergence', detector: 'divergence', symbols: '*', severity: 'warning', params: {} },
  { ruleId: 'default-stale-feed', detector: 'stale-feed', symbols: '*', severity: 'info', params: {} },
] as const;

/** Shapes of the alert API's answers (src/domain/events/signals.ts, src/read-models/alertBook.ts). */
export type Severity = 'info' | 'warning' | 'critical';
export interface Alert {
  readonly alertId: string;
  readonly ruleId: string;
  readonly detector: string;
  readonly symbol: string;
  readonly severity: Severity;
  readonly eventTime: number;
  readonly message: string;
  readonly evidence: Record<string, unknown>;
  readonly position?: number;
  readonly resolved?: { readonly eventTime: number; readonly evidence: Record<string, unknown> } | null;
}
export interface AlertResolution {
  readonly alertId: string;
  readonly ruleId: string;
  readonly symbol: string;
  readonly eventTime: number;
  readonly evidence: Record<string, unknown>;
}
export type AlertFeedMessage =
  | { readonly type: 'alert-raised'; readonly position: number; readonly alert: Alert }
  | { readonly type: 'alert-resolved'; readonly position: number; readonly resolution: AlertResolution };
export interface AlertRule {
  readonly ruleId: string;
  readonly detector: string;
  readonly symbols: readonly string[] | '*';
  readonly params: Record<string, unknown>;
  readonly severity: Severity;
  readonly retired?: unknown;
}

/**
 * The alert engine's fold: rules from AlertRuleRegistered / AlertRuleRetired (each applied from
 * its ledger position on), trades put into event-time order by the watermark, every live rule's
 * detector run over them, and the signals turned into AlertRaised / AlertResolved data with
 * deterministic ids. Pure: the projection feeds it ledger events and appends what it returns.
 */
import type { DomainEvent } from '../events/catalogue.js';
import type { AlertRaisedData, AlertResolvedData, AlertRuleRegisteredData } from '../events/signals.js';
import { alertIdOf, createDetector } from './catalogue.js';
import type { AlertSignal, Detector, DetectorTrade } from './detector.js';
import { createEventTimeOrder } from './eventTimeOrder.js';

export type AlertOutput =
  | { readonly type: 'AlertRaised'; readonly data: AlertRaisedData; readonly causeEventId: string | null }
  | { readonly type: 'AlertResolved'; readonly data: AlertResolvedData; readonly causeEventId: string | null };

export interface AlertFoldOptions {
  readonly allowedLatenessMs: number;
  /** How often (event time) silence is checked for; the stale-feed detector's resolution. */
  readonly watermarkTickMs?: number;
}

export interface AlertFold {
  apply(event: DomainEvent): AlertOutput[];
  activeRules(): number;
  late(): number;
}

interface LiveRule {
  readonly rule: AlertRuleRegisteredData;
  readonly detector: Detector;
  readonly symbols: ReadonlySet<string> | undefined;
  /** The rule's ledger position: it sees trades recorded after it, even when the watermark releases older ones later. */
  readonly position: number;
}

export const createAlertFold = (options: AlertFoldOptions): AlertFold => {
  const rules = new Map<string, LiveRule>();
  const order = createEventTimeOrder(options.allowedLatenessMs);
  const tickMs = options.watermarkTickMs ?? 1_000;
  let lastTick = Number.NEGATIVE_INFINITY;

  const toOutput = (rule: AlertRuleRegisteredData, s: AlertSignal): AlertOutput => {
    const alertId = alertIdOf(rule.ruleId, s.key, s.episodeStart);
    return s.kind === 'raised'
      ? {
          type: 'AlertRaised',
          causeEventId: s.causeEventId,
          data: { alertId, ruleId: rule.ruleId, detector: rule.detector, symbol: s.symbol, severity: rule.severity, eventTime: s.eventTime, message: s.message, evidence: s.evidence },
        }
      : { type: 'AlertResolved', causeEventId: s.causeEventId, data: { alertId, ruleId: rule.ruleId, symbol: s.symbol, eventTime: s.eventTime, evidence: { message: s.message, ...s.evidence } } };
  };

  const runTrade = (t: DetectorTrade, out: AlertOutput[]): void => {
    const tick = Math.floor(t.eventTime / tickMs);
    if (tick > lastTick) {
      lastTick = tick;
      for (const r of rules.values()) for (const s of r.detector.onWatermark(t.eventTime)) out.push(toOutput(r.rule, s));
    }
    for (const r of rules.values()) {
      if (t.position < r.position || (r.symbols !== undefined && !r.symbols.has(t.symbol))) continue;
      for (const s of r.detector.onTrade(t)) out.push(toOutput(r.rule, s));
    }
  };

  return {
    apply(e) {
      if (e.type === 'AlertRuleRegistered') {
        if (!rules.has(e.data.ruleId)) {
          rules.set(e.data.ruleId, {
            rule: e.data,
            detector: createDetector(e.data.detector, e.data.params),
            symbols: e.data.symbols === '*' ? undefined : new Set(e.data.symbols),
            position: e.position,
          });
        }
        return [];
      }
      if (e.type === 'AlertRuleRetired') {
        rules.delete(e.data.ruleId);
        return [];
      }
      if (e.type !== 'TradeObserved' || rules.size === 0) return [];
      const d = e.data;
      const trade: DetectorTrade = {
        position: e.position,
        eventId: e.id,
        exchange: d.exchange,
        symbol: d.symbol,
        tradeId: d.tradeId,
        price: Number(d.price),
        quantity: Number(d.quantity),
        eventTime: d.eventTime,
      };
      const out: AlertOutput[] = [];
      for (const t of order.push(trade)) runTrade(t, out);
      return out;
    },
    activeRules: () => rules.size,
    late: () => order.late(),
  };
};

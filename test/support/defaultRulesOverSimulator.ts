/** Runs a simulator (as fast as it generates, on its own event-time clock) through the default alert rules. */
import type { SimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import { createAlertFold, type AlertOutput } from '../../src/domain/detectors/alertFold.js';
import type { DomainEvent } from '../../src/domain/events/catalogue.js';
import type { TradeData } from '../../src/domain/events/market.js';
import { DEFAULT_ALERT_RULES } from '../../src/projections/alerts/defaultRules.js';

export type RaisedAlert = Extract<AlertOutput, { type: 'AlertRaised' }>;

/**
 * Every alert output of the default rules over the source's whole tape, and the last trade's event
 * time; `onTrade` sees each trade too (for a detector run beside the rules on the same tape), and
 * `before` are folded ahead of the tape, after the default rules (more rules, models, aliases; their
 * positions are replaced by the fold's own).
 */
export const defaultRuleAlerts = async (source: SimulatorSource, onTrade?: (trade: TradeData) => void, before: readonly DomainEvent[] = []): Promise<{ alerts: AlertOutput[]; end: number }> => {
  const fold = createAlertFold({ allowedLatenessMs: 5_000 });
  const alerts: AlertOutput[] = [];
  let position = 0;
  const meta = { recordedAt: 0, actor: 't', correlationId: 'c', causationId: null, source: 'simulator' };
  for (const r of DEFAULT_ALERT_RULES) {
    fold.apply({ position: ++position, id: `r${position}`, type: 'AlertRuleRegistered', schemaVersion: 1, stream: 's', streamVersion: 1, data: { ...r, symbols: '*', params: { ...r.params } }, meta, dedupKey: null, leafHash: '' } as DomainEvent);
  }
  for (const e of before) alerts.push(...fold.apply({ ...e, position: ++position }));
  let end = 0;
  await source.run(async (b) => {
    for (const item of b.items) {
      if (item.kind !== 'trade') continue;
      const data = item.data as TradeData;
      onTrade?.(data);
      end = Math.max(end, data.eventTime);
      alerts.push(...fold.apply({ position: ++position, id: `t${position}`, type: 'TradeObserved', schemaVersion: 1, stream: 's', streamVersion: 1, data, meta, dedupKey: null, leafHash: '' } as DomainEvent));
    }
  }, new AbortController().signal);
  return { alerts, end };
};

export const raisedOf = (alerts: readonly AlertOutput[]): RaisedAlert[] => alerts.filter((a): a is RaisedAlert => a.type === 'AlertRaised');

/**
 * The alerts read model: rules, alerts (with their resolution), webhook subscriptions and their
 * delivery log, folded from the ledger. Kept in memory (alerts are rare next to trades; the book
 * is rebuilt from the ledger on start) and queried by the REST routes and the WebSocket catch-up.
 * Its interface is the `AlertBook` port (domain/ports.ts): the alert feed projection fills it and
 * the webhook dispatcher reads it, and projections import the domain, not read models.
 */
import type { AlertBook, AlertFeedMessage, AlertRecord, DeliveryRecord, RuleRecord, SubscriptionRecord } from '../domain/ports.js';

export const createAlertBook = (): AlertBook => {
  const alerts = new Map<string, AlertRecord>();
  /** Alerts and resolutions in ledger order (positions ascend as they are applied). */
  const feed: AlertFeedMessage[] = [];
  const rules = new Map<string, RuleRecord>();
  const subscriptions = new Map<string, SubscriptionRecord>();
  const deliveries = new Map<string, DeliveryRecord[]>();
  const ended = new Set<string>();

  return {
    apply(e) {
      switch (e.type) {
        case 'AlertRaised': {
          if (alerts.has(e.data.alertId)) return undefined;
          alerts.set(e.data.alertId, { ...e.data, position: e.position, recordedAt: e.meta.recordedAt, resolved: null });
          const m: AlertFeedMessage = { type: 'alert-raised', position: e.position, alert: e.data };
          feed.push(m);
          return m;
        }
        case 'AlertResolved': {
          const a = alerts.get(e.data.alertId);
          if (a !== undefined) a.resolved = { ...e.data, position: e.position };
          const m: AlertFeedMessage = { type: 'alert-resolved', position: e.position, resolution: e.data };
          feed.push(m);
          return m;
        }
        case 'AlertRuleRegistered':
          if (!rules.has(e.data.ruleId)) rules.set(e.data.ruleId, { ...e.data, position: e.position, actor: e.meta.actor, retired: null });
          return undefined;
        case 'AlertRuleRetired': {
          const r = rules.get(e.data.ruleId);
          if (r !== undefined) r.retired = { position: e.position, actor: e.meta.actor, reason: e.data.reason };
          return undefined;
        }
        case 'AlertSubscriptionCreated':
          subscriptions.set(e.data.subscriptionId, { ...e.data, position: e.position, actor: e.meta.actor });
          return undefined;
        case 'WebhookDeliveryAttempted': {
          let list = deliveries.get(e.data.subscriptionId);
          if (list === undefined) deliveries.set(e.data.subscriptionId, (list = []));
          list.push({ ...e.data, position: e.position, recordedAt: e.meta.recordedAt });
          if (e.data.outcome !== 'failed') ended.add(`${e.data.subscriptionId} ${e.data.alertId}`);
          return undefined;
        }
        default:
          return undefined;
      }
    },
    alerts(q) {
      const out: AlertRecord[] = [];
      // Newest first: walk the feed backwards.
      for (let i = feed.length - 1; i >= 0 && out.length <= q.limit; i--) {
        const m = feed[i]!;
        if (m.type !== 'alert-raised') continue;
        if (q.before !== undefined && m.position >= q.before) continue;
        const a = alerts.get(m.alert.alertId)!;
        if (q.symbol !== undefined && a.symbol !== q.symbol) continue;
        if (q.severity !== undefined && a.severity !== q.severity) continue;
        if (q.rule !== undefined && a.ruleId !== q.rule) continue;
        if (q.from !== undefined && a.eventTime < q.from) continue;
        if (q.to !== undefined && a.eventTime >= q.to) continue;
        out.push(a);
      }
      const more = out.length > q.limit;
      const page = out.slice(0, q.limit);
      return { alerts: page, next: more ? page[page.length - 1]!.position : null };
    },
    alert: (id) => alerts.get(id),
    messagesAfter(after) {
      let lo = 0;
      let hi = feed.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (feed[mid]!.position <= after) lo = mid + 1;
        else hi = mid;
      }
      return feed.slice(lo);
    },
    rules: () => [...rules.values()],
    subscriptions: () => [...subscriptions.values()],
    subscription: (id) => subscriptions.get(id),
    deliveries: (id) => deliveries.get(id) ?? [],
    deliveryEnded: (id, key) => ended.has(`${id} ${key}`),
  };
};

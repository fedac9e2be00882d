/**
 * Webhook delivery: every raised alert that matches a subscription (created before the alert) is
 * a job on the JobQueue, id `subscription/alert`, retried with exponential backoff; each try is
 * logged in the ledger, and after the last one the delivery is dead-lettered. A delivery that had
 * not ended when the process stopped is enqueued again on start: at-least-once, and the
 * Idempotency-Key (the alert id) lets the receiver drop a repeat.
 */
import { isWebhookDeliveryError } from '../../domain/errors.js';
import { matchesFilter, type WebhookDeliveryAttemptedData } from '../../domain/events/signals.js';
import type { AlertBook, AlertFeedMessage, AlertRecord, JobQueue, WebhookPoster } from '../../domain/ports.js';
import { WEBHOOK_QUEUE } from '../../domain/names.js';

export interface WebhookDispatcherDeps {
  readonly jobs: JobQueue;
  readonly book: AlertBook;
  readonly post: WebhookPoster;
  readonly record: (attempt: WebhookDeliveryAttemptedData) => Promise<void>;
  readonly attempts: number;
  readonly backoffMs: number;
}

interface DeliveryJob {
  readonly subscriptionId: string;
  readonly alertId: string;
}

export interface WebhookDispatcher {
  /** Feed hook: a live alert message. */
  onMessage(m: AlertFeedMessage, live: boolean): void;
  /** Enqueues every delivery the book says has not ended (call once the feed caught up). */
  enqueuePending(): Promise<void>;
}

export const createWebhookDispatcher = (deps: WebhookDispatcherDeps): WebhookDispatcher => {
  const enqueue = (subscriptionId: string, alertId: string): Promise<void> =>
    deps.jobs.enqueue(WEBHOOK_QUEUE, `${subscriptionId}/${alertId}`, { subscriptionId, alertId } satisfies DeliveryJob, {
      attempts: deps.attempts,
      backoffMs: deps.backoffMs,
    });

  const enqueueAlert = async (a: AlertRecord): Promise<void> => {
    for (const s of deps.book.subscriptions()) {
      if (s.position < a.position && matchesFilter(s.filter, a) && !deps.book.deliveryEnded(s.subscriptionId, a.alertId)) {
        await enqueue(s.subscriptionId, a.alertId);
      }
    }
  };

  deps.jobs.process(WEBHOOK_QUEUE, async (payload, job) => {
    const { subscriptionId, alertId } = payload as DeliveryJob;
    const sub = deps.book.subscription(subscriptionId);
    const alert = deps.book.alert(alertId);
    if (sub === undefined || alert === undefined) return;
    const body = JSON.stringify({ type: 'alert-raised', subscriptionId, position: alert.position, alert: { ...alert, resolved: undefined } });
    try {
      const status = await deps.post({ url: sub.url, secret: sub.secret, idempotencyKey: alertId, body });
      await deps.record({ subscriptionId, alertId, attempt: job.attempt, outcome: 'delivered', status, error: null });
    } catch (e) {
      const status = isWebhookDeliveryError(e) ? e.status : null;
      const error = e instanceof Error ? e.message : String(e);
      const last = job.attempt >= deps.attempts;
      await deps.record({ subscriptionId, alertId, attempt: job.attempt, outcome: last ? 'dead-lettered' : 'failed', status, error });
      throw e;
    }
  });

  return {
    onMessage(m, live) {
      if (!live || m.type !== 'alert-raised') return;
      const a = deps.book.alert(m.alert.alertId);
      // A rejected enqueue means the queue is closing; the delivery is picked up again on the next start.
      if (a !== undefined) enqueueAlert(a).catch(() => undefined);
    },
    async enqueuePending() {
      const subs = deps.book.subscriptions();
      if (subs.length === 0) return;
      const earliest = Math.min(...subs.map((s) => s.position));
      for (const m of deps.book.messagesAfter(earliest)) {
        if (m.type === 'alert-raised') await enqueueAlert(deps.book.alert(m.alert.alertId)!);
      }
    },
  };
};

/** RecordWebhookDelivery: each try to deliver an alert to a webhook is logged in the ledger (the delivery log). */
import type { WebhookDeliveryAttemptedData } from '../domain/events/signals.js';
import { alertSubscriptionStream } from '../domain/streams.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

export const recordWebhookDelivery = async (deps: CommandDeps, attempt: WebhookDeliveryAttemptedData, origin: CommandOrigin): Promise<void> => {
  await deps.ledger.append([
    newEvent(deps.ids.next(), 'WebhookDeliveryAttempted', alertSubscriptionStream(attempt.subscriptionId), attempt, origin,
      `webhook/${attempt.subscriptionId}/${attempt.alertId}/${attempt.attempt}/${attempt.outcome}`),
  ]);
};

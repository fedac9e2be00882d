/** RecordWebhookDelivery: each try to deliver an alert to a webhook is logged in the ledger (the delivery log). */
import { statelessDecider } from '../domain/decider.js';
import type { WebhookDeliveryAttemptedData } from '../domain/events/signals.js';
import { alertSubscriptionStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export type RecordWebhookDelivery = Command<WebhookDeliveryAttemptedData>;

/** One WebhookDeliveryAttempted per try and outcome: a retried record of the same try is a duplicate. */
export const recordWebhookDeliveryDecider = statelessDecider(({ data: attempt, metadata }: RecordWebhookDelivery) => [
  newEvent(metadata.nextId(), 'WebhookDeliveryAttempted', alertSubscriptionStream(attempt.subscriptionId), attempt, metadata.origin,
    `webhook/${attempt.subscriptionId}/${attempt.alertId}/${attempt.attempt}/${attempt.outcome}`),
]);

export const recordWebhookDelivery = async (deps: CommandDeps, attempt: WebhookDeliveryAttemptedData, origin: CommandOrigin): Promise<void> => {
  await handleCommand(deps.ledger, { decider: recordWebhookDeliveryDecider, command: { data: attempt, metadata: metadataFor(deps, origin) } });
};

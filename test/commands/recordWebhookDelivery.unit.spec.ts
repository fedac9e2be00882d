/** RecordWebhookDelivery decisions, given / when / then. */
import { describe, it } from 'vitest';
import { recordWebhookDeliveryDecider } from '../../src/commands/recordWebhookDelivery.js';
import type { WebhookDeliveryAttemptedData } from '../../src/domain/events/signals.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const { given } = deciderSpec(recordWebhookDeliveryDecider);

describe('RecordWebhookDelivery', () => {
  it('given an attempt, then one WebhookDeliveryAttempted in the subscription\'s stream, keyed by alert, attempt and outcome', () => {
    const attempt: WebhookDeliveryAttemptedData = { subscriptionId: 's1', alertId: 'a1', attempt: 2, outcome: 'failed', status: 503, error: 'HTTP 503' };
    given().when(command(attempt)).then([
      {
        id: 'id-1',
        type: 'WebhookDeliveryAttempted',
        schemaVersion: 1,
        stream: 'alert-subscriptions/s1',
        data: attempt,
        meta: { ...TEST_ORIGIN, causationId: null },
        dedupKey: 'webhook/s1/a1/2/failed',
      },
    ]);
  });
});

/** CreateAlertSubscription decisions, given / when / then. */
import { describe, it } from 'vitest';
import { createAlertSubscriptionDecider } from '../../src/commands/createAlertSubscription.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const { given } = deciderSpec(createAlertSubscriptionDecider);
const secret = 'sixteen-chars-at-least';

describe('CreateAlertSubscription', () => {
  it('given a webhook URL and a secret, then one AlertSubscriptionCreated in the new subscription\'s stream, its URL normalised', () => {
    given().when(command({ url: 'HTTPS://Hooks.Example.com/a', secret, filter: { severities: ['critical'] } })).then([
      {
        id: 'id-2',
        type: 'AlertSubscriptionCreated',
        schemaVersion: 1,
        stream: 'alert-subscriptions/id-1',
        data: { subscriptionId: 'id-1', url: 'https://hooks.example.com/a', secret, filter: { severities: ['critical'] } },
        meta: { ...TEST_ORIGIN, causationId: null },
      },
    ]);
  });

  it.each<[unknown, RegExp]>([
    [{ url: 'not a url', secret }, /url: expected an absolute http\(s\) URL/],
    [{ url: 'ftp://example.com/x', secret }, /only http and https/],
    [{ url: 'https://example.com/x', secret: 'short' }, /secret: use at least 16 characters/],
    [{ url: 'https://example.com/x' }, /secret/],
  ])('given %j, then InvalidInput names what is wrong', (input, message) => {
    given().when(command(input)).thenThrows(InvalidInputError, message);
  });
});

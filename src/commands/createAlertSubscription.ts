/**
 * CreateAlertSubscription: a webhook (http/https URL, a shared secret for the signature, a filter).
 * Kept in the ledger so subscriptions and their pending deliveries survive a restart.
 */
import * as t from 'io-ts';
import type { NewEvent } from '../domain/events/envelope.js';
import { AlertFilter, type AlertSubscriptionCreatedData } from '../domain/events/signals.js';
import { InvalidInputError } from '../domain/errors.js';
import { alertSubscriptionStream } from '../domain/streams.js';
import { NonEmptyString, validate } from '../domain/validation.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

export const CreateAlertSubscriptionInput = t.intersection([t.type({ url: NonEmptyString, secret: NonEmptyString }), t.partial({ filter: AlertFilter })]);

const MIN_SECRET_LENGTH = 16;

export const decideCreateAlertSubscription = (input: unknown, origin: CommandOrigin, ids: { nextId: () => string }): NewEvent => {
  const v = validate(CreateAlertSubscriptionInput, input);
  if (!v.ok) throw new InvalidInputError(v.reason);
  let url: URL;
  try {
    url = new URL(v.value.url);
  } catch {
    throw new InvalidInputError(`url: expected an absolute http(s) URL, got ${JSON.stringify(v.value.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInputError(`url: only http and https are delivered to, got ${url.protocol}`);
  if (v.value.secret.length < MIN_SECRET_LENGTH) throw new InvalidInputError(`secret: use at least ${MIN_SECRET_LENGTH} characters`);
  const subscriptionId = ids.nextId();
  const data: AlertSubscriptionCreatedData = { subscriptionId, url: url.toString(), secret: v.value.secret, filter: v.value.filter ?? {} };
  return newEvent(ids.nextId(), 'AlertSubscriptionCreated', alertSubscriptionStream(subscriptionId), data, origin);
};

export const createAlertSubscription = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ subscriptionId: string; position: number }> => {
  const event = decideCreateAlertSubscription(input, origin, { nextId: () => deps.ids.next() });
  const result = await deps.ledger.append([event]);
  return { subscriptionId: (event.data as AlertSubscriptionCreatedData).subscriptionId, position: result.appended[0]!.position };
};

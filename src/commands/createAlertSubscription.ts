/**
 * CreateAlertSubscription: a webhook (http/https URL, a shared secret for the signature, a filter).
 * Kept in the ledger so subscriptions and their pending deliveries survive a restart.
 */
import * as t from 'io-ts';
import { statelessDecider } from '../domain/decider.js';
import { AlertFilter, type AlertSubscriptionCreatedData } from '../domain/events/signals.js';
import { InvalidInputError } from '../domain/errors.js';
import { alertSubscriptionStream } from '../domain/streams.js';
import { NonEmptyString, validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

export const CreateAlertSubscriptionInput = t.intersection([t.type({ url: NonEmptyString, secret: NonEmptyString }), t.partial({ filter: AlertFilter })]);

const MIN_SECRET_LENGTH = 16;

/** The request is unvalidated input; the decision names what is wrong with it. */
export type CreateAlertSubscription = Command<unknown>;

export const createAlertSubscriptionDecider = statelessDecider(({ data, metadata }: CreateAlertSubscription) => {
  const v = validate(CreateAlertSubscriptionInput, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  let url: URL;
  try {
    url = new URL(v.value.url);
  } catch {
    throw new InvalidInputError(`url: expected an absolute http(s) URL, got ${JSON.stringify(v.value.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidInputError(`url: only http and https are delivered to, got ${url.protocol}`);
  if (v.value.secret.length < MIN_SECRET_LENGTH) throw new InvalidInputError(`secret: use at least ${MIN_SECRET_LENGTH} characters`);
  const subscriptionId = metadata.nextId();
  const created: AlertSubscriptionCreatedData = { subscriptionId, url: url.toString(), secret: v.value.secret, filter: v.value.filter ?? {} };
  return [newEvent(metadata.nextId(), 'AlertSubscriptionCreated', alertSubscriptionStream(subscriptionId), created, metadata.origin)];
});

export const createAlertSubscription = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ subscriptionId: string; position: number }> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: createAlertSubscriptionDecider,
    command: { data: input, metadata: metadataFor(deps, origin) },
  });
  return { subscriptionId: decidedOfType(decided, 'AlertSubscriptionCreated')!.data.subscriptionId, position: result!.appended[0]!.position };
};

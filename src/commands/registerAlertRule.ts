/**
 * RegisterAlertRule: a detector, the symbols it watches ("*" for all), its params and a severity.
 * The params are checked against the detector's declaration here, so an invalid rule never
 * reaches the ledger. A given ruleId makes the command idempotent (the default rules use this).
 */
import * as t from 'io-ts';
import type { NewEvent } from '../domain/events/envelope.js';
import { AlertRuleRegisteredData, Severity } from '../domain/events/signals.js';
import { checkDetectorParams } from '../domain/detectors/catalogue.js';
import { InvalidInputError } from '../domain/errors.js';
import { alertRuleStream } from '../domain/streams.js';
import { MarketSymbolCodec, NonEmptyString, validate } from '../domain/validation.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const RegisterAlertRuleInput = t.intersection([
  t.type({ detector: NonEmptyString, symbols: t.union([t.array(MarketSymbolCodec), t.literal('*')]), severity: Severity }),
  t.partial({ ruleId: NonEmptyString, params: t.record(t.string, t.unknown) }),
]);

export const alertRuleKey = (ruleId: string): string => `alert-rule/${ruleId}`;

/** Pure decision: one AlertRuleRegistered, or an InvalidInputError naming what is wrong. */
export const decideRegisterAlertRule = (input: unknown, origin: CommandOrigin, ids: { nextId: () => string }): NewEvent => {
  const v = validate(RegisterAlertRuleInput, input);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const cmd = v.value;
  if (cmd.ruleId !== undefined && !RULE_ID.test(cmd.ruleId)) {
    throw new InvalidInputError(`ruleId: expected 1-64 letters, digits, "-" or "_", got ${JSON.stringify(cmd.ruleId)}`);
  }
  if (Array.isArray(cmd.symbols) && cmd.symbols.length === 0) throw new InvalidInputError('symbols: name at least one symbol, or "*" for all');
  const params = checkDetectorParams(cmd.detector, cmd.params ?? {});
  if (!params.ok) throw new InvalidInputError(params.reason);
  const ruleId = cmd.ruleId ?? ids.nextId();
  const data: AlertRuleRegisteredData = { ruleId, detector: cmd.detector, symbols: cmd.symbols, params: params.value, severity: cmd.severity };
  return newEvent(ids.nextId(), 'AlertRuleRegistered', alertRuleStream(ruleId), data, origin, alertRuleKey(ruleId));
};

export const registerAlertRule = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ ruleId: string; position: number; created: boolean }> => {
  const event = decideRegisterAlertRule(input, origin, { nextId: () => deps.ids.next() });
  const result = await deps.ledger.append([event]);
  const ruleId = (event.data as AlertRuleRegisteredData).ruleId;
  const appended = result.appended[0];
  if (appended !== undefined) return { ruleId, position: appended.position, created: true };
  const existing = await deps.ledger.findByDedupKey(alertRuleKey(ruleId));
  return { ruleId, position: existing?.position ?? 0, created: false };
};

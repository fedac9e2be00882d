/**
 * RegisterAlertRule: a detector, the symbols it watches ("*" for all), its params and a severity.
 * The params are checked against the detector's declaration here, so an invalid rule never
 * reaches the ledger. A given ruleId makes the command idempotent (the default rules use this).
 */
import * as t from 'io-ts';
import { statelessDecider } from '../domain/decider.js';
import { type AlertRuleRegisteredData, Severity } from '../domain/events/signals.js';
import { checkDetectorParams } from '../domain/detectors/catalogue.js';
import { InvalidInputError } from '../domain/errors.js';
import { alertRuleStream } from '../domain/streams.js';
import { MarketSymbolCodec, NonEmptyString, validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

const RULE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const RegisterAlertRuleInput = t.intersection([
  t.type({ detector: NonEmptyString, symbols: t.union([t.array(MarketSymbolCodec), t.literal('*')]), severity: Severity }),
  t.partial({ ruleId: NonEmptyString, params: t.record(t.string, t.unknown) }),
]);

export const alertRuleKey = (ruleId: string): string => `alert-rule/${ruleId}`;

/** The request is unvalidated input; the decision names what is wrong with it. */
export type RegisterAlertRule = Command<unknown>;

/** One AlertRuleRegistered, or an InvalidInputError naming what is wrong. */
export const registerAlertRuleDecider = statelessDecider(({ data, metadata }: RegisterAlertRule) => {
  const v = validate(RegisterAlertRuleInput, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const cmd = v.value;
  if (cmd.ruleId !== undefined && !RULE_ID.test(cmd.ruleId)) {
    throw new InvalidInputError(`ruleId: expected 1-64 letters, digits, "-" or "_", got ${JSON.stringify(cmd.ruleId)}`);
  }
  if (Array.isArray(cmd.symbols) && cmd.symbols.length === 0) throw new InvalidInputError('symbols: name at least one symbol, or "*" for all');
  const params = checkDetectorParams(cmd.detector, cmd.params ?? {});
  if (!params.ok) throw new InvalidInputError(params.reason);
  const ruleId = cmd.ruleId ?? metadata.nextId();
  const rule: AlertRuleRegisteredData = { ruleId, detector: cmd.detector, symbols: cmd.symbols, params: params.value, severity: cmd.severity };
  return [newEvent(metadata.nextId(), 'AlertRuleRegistered', alertRuleStream(ruleId), rule, metadata.origin, alertRuleKey(ruleId))];
});

export const registerAlertRule = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ ruleId: string; position: number; created: boolean }> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: registerAlertRuleDecider,
    command: { data: input, metadata: metadataFor(deps, origin) },
  });
  const ruleId = decidedOfType(decided, 'AlertRuleRegistered')!.data.ruleId;
  const appended = result!.appended[0];
  if (appended !== undefined) return { ruleId, position: appended.position, created: true };
  const existing = await deps.ledger.findByDedupKey(alertRuleKey(ruleId));
  return { ruleId, position: existing?.position ?? 0, created: false };
};

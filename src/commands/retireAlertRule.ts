/** RetireAlertRule: the engine stops applying the rule from this event's ledger position on. */
import type { NewEvent } from '../domain/events/envelope.js';
import { upcastEvent } from '../domain/events/catalogue.js';
import { CommandRejectedError, NotFoundError } from '../domain/errors.js';
import { alertRuleStream } from '../domain/streams.js';
import { newEvent, type CommandDeps, type CommandOrigin } from './commandContext.js';

export interface AlertRuleState {
  readonly registered: boolean;
  readonly retired: boolean;
  readonly version: number;
}

export const decideRetireAlertRule = (ruleId: string, reason: string, state: AlertRuleState, origin: CommandOrigin, ids: { nextId: () => string }): NewEvent => {
  if (!state.registered) throw new NotFoundError(`no alert rule ${ruleId}`);
  if (state.retired) throw new CommandRejectedError(`alert rule ${ruleId} is already retired`);
  return newEvent(ids.nextId(), 'AlertRuleRetired', alertRuleStream(ruleId), { ruleId, reason }, origin, `alert-rule-retired/${ruleId}`);
};

export const loadAlertRuleState = async (deps: CommandDeps, ruleId: string): Promise<AlertRuleState> => {
  const stream = await deps.ledger.readStream(alertRuleStream(ruleId));
  const types = stream.map((e) => upcastEvent(e)?.type);
  return {
    registered: types.includes('AlertRuleRegistered'),
    retired: types.includes('AlertRuleRetired'),
    version: stream.length === 0 ? 0 : stream[stream.length - 1]!.streamVersion,
  };
};

export const retireAlertRule = async (deps: CommandDeps, ruleId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }> => {
  const state = await loadAlertRuleState(deps, ruleId);
  const event = decideRetireAlertRule(ruleId, reason, state, origin, { nextId: () => deps.ids.next() });
  const result = await deps.ledger.append([event], { expected: { [alertRuleStream(ruleId)]: state.version } });
  return { position: result.appended[0]?.position ?? result.head };
};

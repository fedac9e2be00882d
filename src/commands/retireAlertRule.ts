/** RetireAlertRule: the engine stops applying the rule from this event's ledger position on. */
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, NotFoundError } from '../domain/errors.js';
import { alertRuleStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export type RetireAlertRule = Command<{ readonly ruleId: string; readonly reason: string }>;

/** What the rule's stream says about it. */
export interface AlertRuleState {
  readonly registered: boolean;
  readonly retired: boolean;
}

export const retireAlertRuleDecider: Decider<RetireAlertRule, AlertRuleState> = {
  decide: ({ data: { ruleId, reason }, metadata }, state) => {
    if (!state.registered) throw new NotFoundError(`no alert rule ${ruleId}`);
    if (state.retired) throw new CommandRejectedError(`alert rule ${ruleId} is already retired`);
    return [newEvent(metadata.nextId(), 'AlertRuleRetired', alertRuleStream(ruleId), { ruleId, reason }, metadata.origin, `alert-rule-retired/${ruleId}`)];
  },
  evolve: (state, fact) => {
    switch (fact.type) {
      case 'AlertRuleRegistered':
        return { ...state, registered: true };
      case 'AlertRuleRetired':
        return { ...state, retired: true };
      default:
        return state;
    }
  },
  initialState: () => ({ registered: false, retired: false }),
};

export const retireAlertRule = async (deps: CommandDeps, ruleId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: retireAlertRuleDecider,
    command: { data: { ruleId, reason }, metadata: metadataFor(deps, origin) },
    stream: alertRuleStream(ruleId),
  });
  return { position: result!.appended[0]?.position ?? result!.head };
};

/** RetireAlertRule decisions, given / when / then, and its state fold. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retireAlertRuleDecider } from '../../src/commands/retireAlertRule.js';
import type { Fact } from '../../src/domain/decider.js';
import { CommandRejectedError, NotFoundError } from '../../src/domain/errors.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const { given } = deciderSpec(retireAlertRuleDecider);
const registered: Fact = { type: 'AlertRuleRegistered', data: { ruleId: 'r1', detector: 'price-level', symbols: '*', params: { level: 100 }, severity: 'warning' } };
const retired: Fact = { type: 'AlertRuleRetired', data: { ruleId: 'r1', reason: 'noisy' } };
const retire = command({ ruleId: 'r1', reason: 'replaced by r2' });

describe('RetireAlertRule', () => {
  it('given a registered rule, when retired, then one AlertRuleRetired in the rule stream, keyed so a retry is a duplicate', () => {
    given([registered]).when(retire).then([
      {
        id: 'id-1',
        type: 'AlertRuleRetired',
        schemaVersion: 1,
        stream: 'alert-rules/r1',
        data: { ruleId: 'r1', reason: 'replaced by r2' },
        meta: { ...TEST_ORIGIN, causationId: null },
        dedupKey: 'alert-rule-retired/r1',
      },
    ]);
  });

  it('given no such rule, then NotFound', () => {
    given([]).when(retire).thenThrows(NotFoundError, /no alert rule r1/);
  });

  it('given the rule is already retired, then the command is rejected', () => {
    given([registered, retired]).when(retire).thenThrows(CommandRejectedError, /already retired/);
  });

  it('given any history of its stream, it is retired exactly when registered and not yet retired', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(registered, retired), { maxLength: 6 }), (history) => {
        const wasRegistered = history.includes(registered);
        const wasRetired = history.includes(retired);
        const when = given(history).when(retire);
        if (!wasRegistered) when.thenThrows(NotFoundError);
        else if (wasRetired) when.thenThrows(CommandRejectedError);
        else when.then((events) => expect(events.map((e) => e.type)).toEqual(['AlertRuleRetired']));
      }),
    );
  });
});

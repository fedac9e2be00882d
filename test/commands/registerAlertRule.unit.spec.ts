/** RegisterAlertRule decisions, given / when / then. */
import { describe, expect, it } from 'vitest';
import { registerAlertRuleDecider } from '../../src/commands/registerAlertRule.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const { given } = deciderSpec(registerAlertRuleDecider);
const rule = { detector: 'price-level', symbols: ['BTC-USDT'], severity: 'critical', params: { level: 50_000 } };

describe('RegisterAlertRule', () => {
  it('given a rule with its id, then one AlertRuleRegistered with the detector\'s defaults filled in, keyed by the rule id', () => {
    given().when(command({ ...rule, ruleId: 'btc-50k' })).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        id: 'id-1',
        type: 'AlertRuleRegistered',
        stream: 'alert-rules/btc-50k',
        data: { ruleId: 'btc-50k', detector: 'price-level', symbols: ['BTC-USDT'], severity: 'critical', params: { level: 50_000, direction: 0, bandBps: 10 } },
        meta: { ...TEST_ORIGIN, causationId: null },
        dedupKey: 'alert-rule/btc-50k',
      });
    });
  });

  it('given a rule without an id, then it gets a new one', () => {
    given().when(command({ ...rule, symbols: '*' })).then((events) => {
      expect(events.map((e) => [e.id, e.stream, e.dedupKey, (e.data as { ruleId: string }).ruleId])).toEqual([['id-2', 'alert-rules/id-1', 'alert-rule/id-1', 'id-1']]);
    });
  });

  it.each<[unknown, RegExp]>([
    [{ ...rule, ruleId: 'has space' }, /ruleId: expected 1-64 letters/],
    [{ ...rule, symbols: [] }, /symbols: name at least one symbol/],
    [{ ...rule, detector: 'crystal-ball' }, /detector: unknown "crystal-ball"/],
    [{ ...rule, severity: 'apocalyptic' }, /severity/],
    [{ ...rule, symbols: ['btc'] }, /symbols/],
  ])('given %j, then InvalidInput names what is wrong', (input, message) => {
    given().when(command(input)).thenThrows(InvalidInputError, message);
  });
});

/** RecordAlerts decisions, given / when / then. */
import { describe, it } from 'vitest';
import { ALERT_ENGINE_ACTOR, recordAlertsDecider } from '../../src/commands/recordAlerts.js';
import type { AlertOutput } from '../../src/domain/detectors/alertFold.js';
import { T0 } from '../support/arbitraries.js';
import { command, deciderSpec } from '../support/decider.js';

const { given } = deciderSpec(recordAlertsDecider);
const origin = { actor: ALERT_ENGINE_ACTOR, correlationId: 'rule-r1', source: 'alert-engine' };
const raised: AlertOutput = {
  type: 'AlertRaised',
  data: { alertId: 'r1.BTC-USDT.1', ruleId: 'r1', detector: 'price-level', symbol: 'BTC-USDT', severity: 'warning', eventTime: T0, message: 'crossed 100', evidence: { price: 101 } },
  causeEventId: 'trade-event-7',
};
const resolved: AlertOutput = {
  type: 'AlertResolved',
  data: { alertId: 'r1.BTC-USDT.1', ruleId: 'r1', symbol: 'BTC-USDT', eventTime: T0 + 60_000, evidence: {} },
  causeEventId: null,
};

describe('RecordAlerts', () => {
  it('given a raise and its resolution, then each is an event in the symbol\'s alert stream, caused by what triggered it and keyed by alert id', () => {
    given().when(command([raised, resolved], { origin })).then([
      { id: 'id-1', type: 'AlertRaised', schemaVersion: 1, stream: 'alerts/BTC-USDT', data: raised.data, meta: { ...origin, causationId: 'trade-event-7' }, dedupKey: 'alert/r1.BTC-USDT.1/raised' },
      { id: 'id-2', type: 'AlertResolved', schemaVersion: 1, stream: 'alerts/BTC-USDT', data: resolved.data, meta: { ...origin, causationId: null }, dedupKey: 'alert/r1.BTC-USDT.1/resolved' },
    ]);
  });

  it('given nothing concluded, then nothing is recorded', () => {
    given().when(command([], { origin })).thenNothingHappened();
  });
});

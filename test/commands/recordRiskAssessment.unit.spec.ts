/** RecordRiskAssessment decisions, given / when / then. */
import { describe, expect, it } from 'vitest';
import { recordRiskAssessmentDecider, riskAssessmentKey } from '../../src/commands/recordRiskAssessment.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { assessRisk, riskAssessedData } from '../../src/domain/risk/assessment.js';
import { DAY_MS } from '../../src/domain/time.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const { given } = deciderSpec(recordRiskAssessmentDecider);
const asOf = Date.UTC(2024, 2, 10);
const closes = [100, 104, 101, 99, 103, 108].map((close, i) => ({ time: asOf - (5 - i) * DAY_MS, close }));
const assessed = riskAssessedData('BTC-USDT', assessRisk(closes, asOf, 5), { view: 'ohlcv', version: 7, computedThrough: asOf + DAY_MS });

describe('RecordRiskAssessment', () => {
  it('given an assessment, then one RiskAssessed in the symbol risk stream, keyed by what it was computed from', () => {
    given().when(command(assessed)).then([
      {
        id: 'id-1',
        type: 'RiskAssessed',
        schemaVersion: 1,
        stream: 'risk/BTC-USDT',
        data: assessed,
        meta: { ...TEST_ORIGIN, causationId: null },
        dedupKey: `risk/BTC-USDT/2024-03-10/1d/5/0/ohlcv@7:${asOf + DAY_MS}`,
      },
    ]);
  });

  it('a new batch version or another window is another assessment; the same inputs are the same one', () => {
    const key = riskAssessmentKey(assessed);
    expect(riskAssessmentKey({ ...assessed, batch: { ...assessed.batch!, version: 8 } })).not.toBe(key);
    expect(riskAssessmentKey({ ...assessed, definitions: { ...assessed.definitions, window: 30 } })).not.toBe(key);
    expect(riskAssessmentKey({ ...assessed, batch: null })).not.toBe(key);
    expect(riskAssessmentKey(structuredClone(assessed))).toBe(key);
  });

  it('given data that is not an assessment, then it is refused with a reason', () => {
    given().when(command({ ...assessed, asOf: '' })).thenThrows(InvalidInputError, /asOf/);
    given().when(command({ ...assessed, definitions: { ...assessed.definitions, returns: 'log' } })).thenThrows(InvalidInputError, /returns/);
  });
});

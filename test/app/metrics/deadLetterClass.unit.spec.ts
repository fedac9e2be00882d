/** Dead-letter reason classes, from the reasons the RecordObservations decider really writes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { recordObservationsDecider } from '../../../src/commands/recordObservations.js';
import { DEAD_LETTER_CLASSES, deadLetterClass } from '../../../src/app/metrics/deadLetterClass.js';
import type { SourceItem } from '../../../src/domain/ports.js';
import type { InputRejectedData } from '../../../src/domain/events/rejection.js';
import { origin, trade } from '../../support/platform.js';

const NOW = Date.UTC(2024, 0, 1);

/** The reason the decider records for one item. */
const reasonFor = (item: SourceItem): string => {
  let n = 0;
  const decided = recordObservationsDecider.decide({ data: [item], metadata: { origin, now: NOW, nextId: () => `id-${n++}` } } as never, undefined as never);
  const rejected = (decided as ReadonlyArray<{ type: string; data: unknown }>).find((e) => e.type === 'InputRejected');
  if (rejected === undefined) throw new Error(`${JSON.stringify(item)} was not rejected`);
  return (rejected.data as InputRejectedData).reason;
};

describe('dead-letter reason class', () => {
  it('classes each kind of rejection the decider makes', () => {
    expect(deadLetterClass(reasonFor({ kind: 'trade', data: { price: 'abc' } }))).toBe('invalid_trade');
    expect(deadLetterClass(reasonFor(trade('1', '100', NOW + 3_600_000)))).toBe('future_event_time');
    expect(deadLetterClass(reasonFor({ kind: 'candle', data: {} }))).toBe('invalid_candle');
    expect(deadLetterClass(reasonFor({ kind: 'snapshot', data: {} }))).toBe('invalid_market_snapshot');
    expect(deadLetterClass(reasonFor({ kind: 'sentiment', data: {} }))).toBe('invalid_sentiment');
    expect(deadLetterClass(reasonFor({ kind: 'gap', data: {} }))).toBe('invalid_feed_gap');
    expect(deadLetterClass(reasonFor({ kind: 'gapHealed', data: {} }))).toBe('invalid_feed_gap');
    expect(deadLetterClass(reasonFor({ kind: 'rejected', reason: 'BTCUSDT-1m.csv:7: 5 fields, expected 12', raw: 'x' }))).toBe('undecodable');
  });

  it('any text gets one of the few classes (a label never takes free text)', () => {
    fc.assert(fc.property(fc.string(), (reason) => DEAD_LETTER_CLASSES.includes(deadLetterClass(reason))));
  });
});

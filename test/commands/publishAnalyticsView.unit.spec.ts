/** PublishAnalyticsView decisions, given / when / then. */
import { describe, expect, it } from 'vitest';
import { analyticsViewKey, publishAnalyticsViewDecider } from '../../src/commands/publishAnalyticsView.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const { given } = deciderSpec(publishAnalyticsViewDecider);
const hash = 'ab'.repeat(32);
const view = {
  view: 'network/30d/pearson/0.5',
  version: 20_000,
  symbols: ['BTC-USDT', 'ETH-USDT'],
  throughPosition: 42,
  engine: 'ts',
  asOf: '2024-10-04',
  contentHash: hash,
};

describe('PublishAnalyticsView', () => {
  it('given a view with its hash, then one BatchViewPublished in the view stream, keyed by view, day and hash', () => {
    given().when(command(view)).then([
      {
        id: 'id-1',
        type: 'BatchViewPublished',
        schemaVersion: 1,
        stream: 'views/network/30d/pearson/0.5',
        data: view,
        meta: { ...TEST_ORIGIN, causationId: null },
        dedupKey: `view-published/network/30d/pearson/0.5/2024-10-04/${hash}`,
      },
    ]);
  });

  it('another day or another content is another publication; the same view, day and content the same one', () => {
    const key = analyticsViewKey(view);
    expect(analyticsViewKey({ ...view, contentHash: 'cd'.repeat(32) })).not.toBe(key);
    expect(analyticsViewKey({ ...view, asOf: '2024-10-05' })).not.toBe(key);
    expect(analyticsViewKey({ ...view, throughPosition: 99 })).toBe(key);
  });

  it('given a view without its hash or day, or with a hash that is not SHA-256 hex, then it is refused with a reason', () => {
    const { contentHash: _h, ...unhashed } = view;
    given().when(command(unhashed)).thenThrows(InvalidInputError, /contentHash/);
    const { asOf: _a, ...undated } = view;
    given().when(command(undated)).thenThrows(InvalidInputError, /asOf/);
    given().when(command({ ...view, contentHash: 'XYZ' })).thenThrows(InvalidInputError, /contentHash/);
  });
});

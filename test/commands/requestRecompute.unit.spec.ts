/** RequestRecompute decisions, given / when / then. */
import { describe, it } from 'vitest';
import { requestRecomputeDecider } from '../../src/commands/requestRecompute.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { command, deciderSpec } from '../support/decider.js';

const { given } = deciderSpec(requestRecomputeDecider);
const origin = { actor: 'ops', correlationId: 'c', source: 'cli' };

describe('RequestRecompute', () => {
  it('given a valid range, then one RecomputeRequested in the symbol recompute stream', () => {
    given().when(command({ symbol: 'ETH-USDT', fromDay: '2023-02-01', toDay: '2023-02-03', reason: 'vendor fix' }, { origin })).then([
      {
        id: 'id-2',
        type: 'RecomputeRequested',
        schemaVersion: 1,
        stream: 'recompute/ETH-USDT',
        data: { requestId: 'id-1', symbol: 'ETH-USDT', fromDay: '2023-02-01', toDay: '2023-02-03', reason: 'vendor fix' },
        meta: { ...origin, causationId: null },
      },
    ]);
  });

  it.each([
    [{ symbol: 'ETH-USDT', fromDay: '2023-02-03', toDay: '2023-02-01', reason: 'x' }, /before fromDay/],
    [{ symbol: 'ETH-USDT', fromDay: '2023/02/01', toDay: '2023-02-01', reason: 'x' }, /fromDay: expected yyyy-mm-dd/],
    [{ symbol: 'ETH-USDT', fromDay: '2020-01-01', toDay: '2023-02-01', reason: 'x' }, /at most 366 days/],
    [{ symbol: 'ethusdt', fromDay: '2023-02-01', toDay: '2023-02-01', reason: 'x' }, /symbol/],
  ])('given %j, then it is refused with a reason', (input, message) => {
    given().when(command(input, { origin })).thenThrows(InvalidInputError, message);
  });
});

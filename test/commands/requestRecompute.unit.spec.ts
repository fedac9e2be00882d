import { describe, expect, it } from 'vitest';
import { decideRequestRecompute } from '../../src/commands/requestRecompute.js';

const origin = { actor: 'ops', correlationId: 'c', source: 'cli' };

describe('RequestRecompute', () => {
  it('given a valid range, then one RecomputeRequested in the symbol recompute stream', () => {
    const e = decideRequestRecompute({ symbol: 'ETH-USDT', fromDay: '2023-02-01', toDay: '2023-02-03', reason: 'vendor fix' }, origin, () => 'r1');
    expect(e).toMatchObject({ type: 'RecomputeRequested', stream: 'recompute/ETH-USDT', data: { requestId: 'r1', fromDay: '2023-02-01', toDay: '2023-02-03' } });
  });

  it.each([
    [{ symbol: 'ETH-USDT', fromDay: '2023-02-03', toDay: '2023-02-01', reason: 'x' }, /before fromDay/],
    [{ symbol: 'ETH-USDT', fromDay: '2023/02/01', toDay: '2023-02-01', reason: 'x' }, /fromDay: expected yyyy-mm-dd/],
    [{ symbol: 'ETH-USDT', fromDay: '2020-01-01', toDay: '2023-02-01', reason: 'x' }, /at most 366 days/],
    [{ symbol: 'ethusdt', fromDay: '2023-02-01', toDay: '2023-02-01', reason: 'x' }, /symbol/],
  ])('given %j, then it is refused with a reason', (input, message) => {
    expect(() => decideRequestRecompute(input, origin, () => 'r')).toThrow(message);
  });
});

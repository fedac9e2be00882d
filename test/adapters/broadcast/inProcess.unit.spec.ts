/** The in-process Broadcaster against the Broadcaster contract, plus its synchronous promises. */
import { describe, expect, it } from 'vitest';
import { createInProcessBroadcaster } from '../../../src/adapters/broadcast/in-process/inProcessBroadcaster.js';
import { broadcasterContract } from '../../contracts/broadcaster.contract.js';

broadcasterContract('in-process', async () => {
  const broadcaster = createInProcessBroadcaster();
  return { broadcaster, cleanup: () => broadcaster.close() };
});

describe('in-process Broadcaster', () => {
  it('delivers synchronously, the same object, to each subscription', () => {
    const b = createInProcessBroadcaster();
    const got: unknown[] = [];
    const handler = (m: unknown): void => void got.push(m);
    // The same function twice is two subscriptions; unsubscribing one leaves the other.
    const first = b.subscribe('c', handler);
    b.subscribe('c', handler);
    const message = { n: 1 };
    b.publish('c', message);
    expect(got).toEqual([message, message]);
    expect(got[0]).toBe(message);
    first();
    b.publish('c', { n: 2 });
    expect(got).toHaveLength(3);
  });

  it('a handler may unsubscribe another during delivery: that one is skipped', () => {
    const b = createInProcessBroadcaster();
    const got: string[] = [];
    let unsubscribeY = (): void => undefined;
    b.subscribe('c', () => {
      got.push('x');
      unsubscribeY();
    });
    unsubscribeY = b.subscribe('c', () => void got.push('y'));
    b.publish('c', {});
    expect(got).toEqual(['x']);
  });

  it('delivers nothing after close', async () => {
    const b = createInProcessBroadcaster();
    const got: unknown[] = [];
    b.subscribe('c', (m) => void got.push(m));
    await b.close();
    b.publish('c', {});
    b.subscribe('c', (m) => void got.push(m));
    b.publish('c', {});
    expect(got).toEqual([]);
  });
});

/** The realtime answer is shared between commits (answerCache.ts) but never outlives one. */
import { afterEach, describe, expect, it } from 'vitest';
import { openTestPlatform, origin, trade } from '../support/platform.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('realtime answers', () => {
  it('show the newest trade as soon as the live projection has committed it', async () => {
    const t = await openTestPlatform();
    cleanup = t.cleanup;
    const { platform } = t;
    const now = Date.now();
    const record = async (id: string, price: string, at: number) => {
      const r = await platform.commands.recordObservations({ origin, items: [trade(id, price, at)] });
      await platform.liveProjection.waitFor(r.lastPosition);
    };
    await record('1', '100', now - 2_000);
    expect((await platform.queries.realtime('BTC-USDT')).last?.price).toBe('100');
    expect((await platform.queries.realtime('BTC-USDT')).last?.price).toBe('100');
    await record('2', '101.5', now - 1_000);
    expect((await platform.queries.realtime('BTC-USDT')).last?.price).toBe('101.5');
  });
});

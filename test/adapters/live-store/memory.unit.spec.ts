/** The memory LiveStore against the LiveStore contract, plus what only an in-process store can promise. */
import { describe, expect, it } from 'vitest';
import { createMemoryLiveStore } from '../../../src/adapters/live-store/memory/memoryLiveStore.js';
import { liveStoreContract } from '../../contracts/liveStore.contract.js';
import { minute, T0, tradeSlot } from '../../support/candles.js';

liveStoreContract('memory', async () => {
  const store = createMemoryLiveStore();
  return { store, cleanup: () => store.close() };
}, { persistent: false });

describe('memory LiveStore', () => {
  it('applies a commit before its promise settles (no reader sees half a delta)', () => {
    const store = createMemoryLiveStore();
    void store.commit('live', [{ exchange: 'binance', symbol: 'BTC-USDT', maxEventTime: T0, lateEvents: 0, coveredFrom: -Infinity, latest: undefined, upserts: [[minute(0), tradeSlot(minute(0))]], evictions: [] }], 3);
    // Reads issued in the same tick, right after the call, already see the commit.
    return Promise.all([store.load('live'), store.minutes('BTC-USDT', minute(0), minute(1))]).then(([loaded, rows]) => {
      expect(loaded.checkpoint).toBe(3);
      expect(rows).toHaveLength(1);
    });
  });

  it('serves one symbol among 1000 symbols × 3 exchanges × 60 minutes', async () => {
    const store = createMemoryLiveStore();
    const slots = Array.from({ length: 60 }, (_, i) => [minute(i), tradeSlot(minute(i))] as const);
    for (let s = 0; s < 1_000; s++) {
      await store.commit(
        'live',
        ['binance', 'coinbase', 'kraken'].map((exchange) => ({ exchange, symbol: `S${s}-USD`, maxEventTime: T0, lateEvents: 0, coveredFrom: -Infinity, latest: undefined, upserts: slots, evictions: [] })),
        s + 1,
      );
    }
    const rows = await store.minutes('S7-USD', minute(50), minute(60));
    expect(rows).toHaveLength(30);
    expect(rows.slice(0, 3).map((r) => r.exchange)).toEqual(['binance', 'coinbase', 'kraken']);
    expect(await store.symbols()).toHaveLength(1_000);
  });
});

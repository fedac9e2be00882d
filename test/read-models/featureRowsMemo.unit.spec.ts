/**
 * Feature rows are computed once per set of inputs: while the live store's content and the batch
 * view are unchanged, a feature query (each prediction's) is answered with the rows already
 * computed, whatever else the ledger records meanwhile (predictions, keys); a trade into a bar
 * (the live store changes) or a later bar (another range) computes them afresh.
 */
import { describe, expect, it } from 'vitest';
import { issueKeyInLedger, openTestPlatform, origin, trade } from '../support/platform.js';

const HOUR = 3_600_000;
const t0 = Date.UTC(2024, 0, 1, 0);

describe('feature rows memo', () => {
  it('serves the same rows until a trade changes the live store, and computes a later bar afresh', async () => {
    const { platform, cleanup } = await openTestPlatform();
    try {
      const settle = async (): Promise<void> => platform.liveProjection.waitFor((await platform.ledger.head()).position);
      // A trade just before and one just after the hour: two bars.
      await platform.commands.recordObservations({ origin, items: [trade('a', '100', t0 + HOUR - 3_000), trade('b', '101', t0 + HOUR + 1_000)] });
      await settle();
      const rowsOf = async (to: number) => (await platform.queries.features({ symbol: 'BTC-USDT', interval: '1h', from: t0, to })).rows;

      const first = await rowsOf(t0 + 2 * HOUR);
      expect(first.map((r) => r.close)).toEqual([100, 101]);
      const version = platform.liveProjection.contentVersion();
      expect(await rowsOf(t0 + 2 * HOUR)).toBe(first);

      // An event that changes no series (here a key) leaves the live store's content, and the rows, as they were.
      await issueKeyInLedger(platform.ledger);
      await settle();
      expect(platform.liveProjection.contentVersion()).toBe(version);
      expect(await rowsOf(t0 + 2 * HOUR)).toBe(first);

      // A trade arriving late (within the allowed lateness) into the first bar changes its close: computed afresh.
      await platform.commands.recordObservations({ origin, items: [trade('late', '150', t0 + HOUR - 1_000)] });
      await settle();
      expect(platform.liveProjection.contentVersion()).toBeGreaterThan(version);
      const corrected = await rowsOf(t0 + 2 * HOUR);
      expect(corrected).not.toBe(first);
      expect(corrected.map((r) => r.close)).toEqual([150, 101]);

      // The next bar is another range: its own rows, ending at the new bar, then served again.
      await platform.commands.recordObservations({ origin, items: [trade('c', '102', t0 + 2 * HOUR + 1_000)] });
      await settle();
      const later = await rowsOf(t0 + 3 * HOUR);
      expect(later.map((r) => r.close)).toEqual([150, 101, 102]);
      expect(await rowsOf(t0 + 3 * HOUR)).toBe(later);
    } finally {
      await cleanup();
    }
  });
});

/**
 * The published views kept beside their BatchViewPublished events: what is found is what was
 * published (its hash recomputes from it, whatever the numbers), only for the query's symbols, a
 * later publication replaces an earlier one and never the reverse, and an entry whose event is not
 * in this ledger is not served.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { openSqliteSnapshotStore } from '../../../src/adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { publishAnalyticsView } from '../../../src/commands/publishAnalyticsView.js';
import { correlationDefinitions } from '../../../src/domain/analytics/definitions.js';
import type { SnapshotStore } from '../../../src/domain/ports.js';
import { DAY_MS } from '../../../src/domain/time.js';
import type { AnalyticsQuery, Provenance } from '../../../src/read-models/analytics/analyticsQuery.js';
import { withHash, type CorrelationContent } from '../../../src/read-models/analytics/analyticsViews.js';
import { contentHash } from '../../../src/read-models/analytics/contentHash.js';
import { publishedViews } from '../../../src/read-models/analytics/publishedViews.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const AS_OF = Date.UTC(2026, 0, 10);
const DAY = '2026-01-10';
const VIEW = 'correlation/30d/pearson';
const SYMBOLS = ['BTC-USDT', 'ETH-USDT'];
const TOP: Provenance = { selection: { topByQuoteVolume: 100, among: 2 }, batch: { 'BTC-USDT': 3, 'ETH-USDT': 3 }, degraded: false };
const origin = { actor: 'test', correlationId: 'c1', source: 'test' };
const query: AnalyticsQuery = { symbols: null, top: 100, asOf: AS_OF, window: '30d', method: 'pearson' };

const content = (rho: number | null, asOf = DAY) =>
  withHash<CorrelationContent>({ asOf, definitions: correlationDefinitions('pearson', '30d'), symbols: SYMBOLS, matrix: [[1, rho], [rho, 1]], shared: [[30, 30], [30, 30]] });

describe('published views', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });
  const rig = () => {
    const clock = { now: () => AS_OF + DAY_MS };
    const ledger = openSqliteLedger({ path: ':memory:', clock, signer: TEST_LEDGER_SIGNER });
    const snapshots = openSqliteSnapshotStore({ path: ':memory:' });
    open.push(ledger, snapshots);
    const publish = async (c: ReturnType<typeof content>) =>
      (await publishAnalyticsView({ ledger, clock, ids: createUuidV7Generator(clock) }, { view: VIEW, version: Date.parse(c.asOf) / DAY_MS, symbols: SYMBOLS, throughPosition: 0, engine: 'ts', asOf: c.asOf, contentHash: c.contentHash }, origin)).position;
    return { ledger, snapshots, publish, views: (s: SnapshotStore = snapshots) => publishedViews({ snapshots: s, ledger }) };
  };

  it('finds what was published, whose hash recomputes from it', async () => {
    const { publish, views } = rig();
    let day = 0; // a day of its own per run: each run's view is published once
    await fc.assert(
      fc.asyncProperty(fc.option(fc.double({ min: -1, max: 1 }), { nil: null }), async (rho) => {
        const asOf = AS_OF + ++day * DAY_MS;
        const c = content(rho, new Date(asOf).toISOString().slice(0, 10));
        const position = await publish(c);
        await views().save({ view: VIEW, content: c, provenance: TOP }, position);
        const found = await views().find(VIEW, { ...query, asOf });
        expect(found?.publication).toEqual({ position, engine: 'ts', version: asOf / DAY_MS });
        const { contentHash: hash, ...rest } = found!.content;
        expect(contentHash(rest)).toBe(c.contentHash);
        expect(hash).toBe(c.contentHash);
      }),
      { numRuns: 100 },
    );
  });

  it('answers only the published selection: the same top, or the same set of symbols in any order', async () => {
    const { publish, views } = rig();
    const c = content(0.5);
    await views().save({ view: VIEW, content: c, provenance: TOP }, await publish(c));
    expect(await views().find(VIEW, { ...query, symbols: ['ETH-USDT', 'BTC-USDT'] })).toBeDefined();
    expect(await views().find(VIEW, { ...query, symbols: ['ETH-USDT', 'SOL-USDT'] })).toBeUndefined();
    expect(await views().find(VIEW, { ...query, top: 3 })).toBeUndefined();
    expect(await views().find(VIEW, { ...query, asOf: AS_OF - DAY_MS })).toBeUndefined();
    expect(await views().find('correlation/30d/spearman', query)).toBeUndefined();
  });

  it('keeps the latest publication of a view and day', async () => {
    const { publish, views } = rig();
    const [first, second] = [content(0.5), content(0.6)];
    const [p1, p2] = [await publish(first), await publish(second)];
    await views().save({ view: VIEW, content: second, provenance: TOP }, p2);
    await views().save({ view: VIEW, content: first, provenance: TOP }, p1);
    expect((await views().find(VIEW, query))?.content.contentHash).toBe(second.contentHash);
  });

  it('serves nothing whose event is not in this ledger', async () => {
    const one = rig();
    const other = rig();
    const c = content(0.5);
    // The other ledger holds the same publication at the same position, as another event (its own id): the entry is not its.
    await other.publish(c);
    await one.views().save({ view: VIEW, content: c, provenance: TOP }, await one.publish(c));
    expect(await publishedViews({ snapshots: one.snapshots, ledger: other.ledger }).find(VIEW, query)).toBeUndefined();
    expect(await one.views().find(VIEW, query)).toBeDefined();
  });
});

/**
 * The order-book lake on the cluster profile: with its lake on HDFS, the archive writes each
 * interval's file there (no scratch file left beside them; the files exactly those the ledger's
 * digests name), and another process of the cluster, with an empty data folder of its own,
 * replays the books from HDFS to the book as it was at each instant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';
import type { BookDigestRecordedData } from '../../src/domain/events/bookDigests.js';
import type { BookItem } from '../../src/domain/ports.js';
import { uniqueName } from '../contracts/polling.js';
import { bookSource, referenceAt } from '../support/bookItems.js';
import { clusterStack } from '../support/clusterProfile.js';
import { openTestPlatform } from '../support/platform.js';
import { requireStack } from '../support/stack.js';
import { webHdfs } from '../support/webHdfs.js';

const hdfs = requireStack('hdfs');
const SECOND = 1_000;

describe.skipIf(clusterStack.skip || hdfs.skip)('order books on the cluster profile, the lake on HDFS', () => {
  it('archives to HDFS, and a process with an empty data folder replays the books from there', async () => {
    const endpoint = hdfs.endpoint() as unknown as HdfsEndpoint;
    const folder = `/tests/${uniqueName('book-lake')}`;
    const files = webHdfs(endpoint);
    const settings = { ...clusterStack.config(), lake: `${endpoint.url}${folder}/crypto`, bookIntervalMs: SECOND, bookGraceMs: 0, bookSnapshotMs: 2 * SECOND };
    // Ten minutes ago on a whole second: every interval has ended by the clock. 40 updates 100 ms apart: 4 intervals.
    const t0 = Date.now() - 10 * 60 * SECOND - (Date.now() % SECOND);
    const items: BookItem[] = [{ kind: 'bookSnapshot', data: { exchange: 'okx', symbol: 'BTC-USDT', bids: [['99.5', '1'], ['99', '2']], asks: [['100.5', '1'], ['101', '3']], eventTime: t0, sequence: 500 } }];
    for (let i = 1; i <= 40; i++) {
      items.push({ kind: 'bookUpdate', data: { exchange: 'okx', symbol: 'BTC-USDT', bids: [[`${99 - (i % 7) / 10}`, i % 5 === 0 ? '0' : `${i % 4}.5`]], asks: [[`${100.5 + (i % 6) / 10}`, i % 3 === 0 ? '0' : `${(i % 5) + 1}`]], eventTime: t0 + i * 100, sequence: 500 + i, prevSequence: 499 + i } });
    }
    const writer = await openTestPlatform(settings);
    const readerDir = mkdtempSync(path.join(os.tmpdir(), 'tv-book-reader-'));
    try {
      expect(writer.platform.orderBooks.lake.uri).toBe(`${endpoint.url}${folder}/crypto`);
      await writer.platform.ingest(bookSource([items.slice(0, 15), items.slice(15)]), new AbortController().signal);
      await writer.platform.orderBooks.archive.flush();

      const digests = (await writer.platform.ledger.readTypes(0, ['BookDigestRecorded'], 1_000)).map((e) => e.data as BookDigestRecordedData);
      expect(digests.length).toBeGreaterThanOrEqual(4);
      const stored = await files.filesUnder(`${folder}/crypto/raw/orderbook`);
      expect(stored.map((f) => `raw/orderbook/${f}`).sort()).toEqual(digests.map((d) => d.file).sort());

      const reader = await openTestPlatform({ ...settings, roles: 'api' }, readerDir);
      try {
        for (const at of [t0 + 50, t0 + 1_234, t0 + 2_999, t0 + 3_950]) {
          const replayed = await reader.platform.orderBooks.replay('BTC-USDT', 'okx', 50, at);
          const book = replayed.exchanges[0]!;
          expect({ bids: book.bids, asks: book.asks }, new Date(at).toISOString()).toEqual(referenceAt(items, 'okx', at).top(50));
          expect(replayed.proofs[0]!.files.length).toBeGreaterThan(0);
        }
      } finally {
        await reader.platform.close();
      }
    } finally {
      await writer.cleanup();
      await files.remove(folder);
      rmSync(readerDir, { recursive: true, force: true });
    }
  }, 180_000);
});

/**
 * The order-book archive on its real files (a local lake, the file journal) and a real embedded
 * ledger: each closed interval is one Parquet file whose rows hash to the digest the ledger holds;
 * a restart resumes from the journal with nothing lost and nothing counted twice, whichever step
 * a failure stopped (file written but no digest, digest recorded but journal not compacted); and
 * any split of the same rows into batches and flushes gives the same digests.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { openFileBookJournal } from '../../../src/adapters/lake/orderbook/fileBookJournal.js';
import { localBookLake } from '../../../src/adapters/lake/orderbook/localBookLake.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { ledgerDigests } from '../../../src/app/bookDigests.js';
import type { BookDigestRecordedData } from '../../../src/domain/events/bookDigests.js';
import { digestInput } from '../../../src/domain/orderbook/archive/bookDigest.js';
import { bookRowText, type BookRow } from '../../../src/domain/orderbook/archive/bookRow.js';
import type { BookJournal, Ledger } from '../../../src/domain/ports.js';
import { createBookArchive, type BookArchive, type BookArchiveDeps } from '../../../src/projections/orderbook/bookArchive.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';
import { ReferenceBook } from '../../support/referenceBook.js';

const T0 = Date.UTC(2024, 0, 1);
const SETTINGS = { intervalMs: 1_000, graceMs: 500, snapshotEveryMs: 400 };

const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Rig {
  readonly dir: string;
  readonly ledger: Ledger;
  /** Wall clock, set by the test. */
  now: number;
  open(over?: Partial<BookArchiveDeps>): Promise<BookArchive>;
}

const rig = async (): Promise<Rig> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-book-archive-'));
  dirs.push(dir);
  const clock = { now: () => r.now };
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock, signer: TEST_LEDGER_SIGNER });
  ledgers.push(ledger);
  const r: Rig = {
    dir,
    ledger,
    now: T0,
    async open(over = {}) {
      const archive = createBookArchive(
        { lake: localBookLake(path.join(dir, 'lake')), journal: await openFileBookJournal(path.join(dir, 'journal')), clock, ...ledgerDigests({ ledger, clock, ids: createUuidV7Generator(clock) }), ...over },
        SETTINGS,
      );
      await archive.restore();
      return archive;
    },
  };
  return r;
};

const digests = async (ledger: Ledger): Promise<BookDigestRecordedData[]> =>
  (await ledger.readTypes(0, ['BookDigestRecorded'], 10_000)).map((e) => e.data as BookDigestRecordedData);

/** A snapshot then updates, `step` ms apart: bids on 1..40, asks on 41..80 (tenths). */
const stream = (updates: number, step: number, seed = 1): BookRow[] => {
  let x = seed;
  const next = (n: number): number => (x = (x * 1103515245 + 12345) % 2 ** 31) % n;
  const price = (tick: number): string => `${Math.floor(tick / 10)}.${tick % 10}`;
  const rows: BookRow[] = [
    { kind: 'bookSnapshot', origin: 'exchange', data: { exchange: 'okx', symbol: 'BTC-USDT', bids: [['3.9', '1']], asks: [['4.1', '2']], eventTime: T0, sequence: 100 } },
  ];
  for (let i = 1; i <= updates; i++) {
    const bid: [string, string] = [price(1 + next(40)), ['0', '1.5', '2', '0.25'][next(4)]!];
    const ask: [string, string] = [price(41 + next(40)), ['0', '3', '0.5'][next(3)]!];
    rows.push({ kind: 'bookUpdate', origin: 'exchange', data: { exchange: 'okx', symbol: 'BTC-USDT', bids: [bid], asks: [ask], eventTime: T0 + i * step, sequence: 100 + i, prevSequence: 99 + i } });
  }
  return rows;
};

const truthOf = (rows: readonly BookRow[]): ReferenceBook => {
  const b = new ReferenceBook();
  for (const r of rows) {
    if (r.kind === 'bookSnapshot') for (const side of ['bids', 'asks'] as const) for (const [p] of b.sorted(side).map((l) => [l.price])) b.set(side, p!, '0');
    for (const [p, q] of r.data.bids) b.set('bids', p, q);
    for (const [p, q] of r.data.asks) b.set('asks', p, q);
  }
  return b;
};

/** The exchange's rows the digested files hold, in order: each acknowledged row exactly once means this equals what was accepted. */
const archivedExchangeRows = async (r: Rig): Promise<string[]> => {
  const lake = localBookLake(path.join(r.dir, 'lake'));
  const out: string[] = [];
  for (const d of await digests(r.ledger)) for (const t of (await lake.readRows(d.file))!) if (JSON.parse(t).origin === 'exchange') out.push(t);
  return out;
};
const texts = (rows: readonly BookRow[]): string[] => rows.map(bookRowText);

const sha = (texts: readonly string[]): string => createHash('sha256').update(digestInput(texts)).digest('hex');

describe('order-book archive', () => {
  it('closes each complete interval into one file whose rows hash to the digest in the ledger, each file starting with a snapshot', async () => {
    const r = await rig();
    const archive = await r.open();
    const rows = stream(30, 100); // 3.0 s of updates: intervals T0, T0+1s, T0+2s, T0+3s (open)
    await archive.accept(rows);
    expect(await archive.flush()).toBe(3);
    const ds = await digests(r.ledger);
    expect(ds.map((d) => d.intervalStart)).toEqual([T0, T0 + 1_000, T0 + 2_000]);
    const lake = localBookLake(path.join(r.dir, 'lake'));
    for (const d of ds) {
      const texts = (await lake.readRows(d.file))!;
      expect(texts).toHaveLength(d.count);
      expect(sha(texts)).toBe(d.sha256);
      expect(JSON.parse(texts[0]!).kind).toBe('bookSnapshot');
      expect(d.file).toMatch(/^raw\/orderbook\/exchange=okx\/date=2024-01-01\/BTC-USDT_\d+_[0-9a-f]{16}\.parquet$/);
    }
    // Every exchange row is in exactly one digested file or still open.
    const open = [...archive.book('okx', 'BTC-USDT')!.open.values()].flat().filter((x) => x.origin === 'exchange');
    expect([...(await archivedExchangeRows(r)), ...texts(open)]).toEqual(texts(rows));
    const book = archive.book('okx', 'BTC-USDT')!.levels;
    expect(book.top(100)).toEqual(truthOf(rows).top(100));
    await archive.close();
  });

  it('a quiet book is closed once the clock is past its interval and the grace, not before', async () => {
    const r = await rig();
    const archive = await r.open();
    await archive.accept(stream(5, 100));
    r.now = T0 + 1_000 + 400;
    expect(await archive.flush()).toBe(0);
    r.now = T0 + 1_000 + 500;
    expect(await archive.flush()).toBe(1);
    await archive.close();
  });

  it('a restart resumes from the journal: the same book, and every row in exactly one digest', async () => {
    const r = await rig();
    const rows = stream(40, 100);
    const first = await r.open();
    await first.accept(rows.slice(0, 25));
    await first.flush();
    await first.close();
    const second = await r.open();
    expect(second.book('okx', 'BTC-USDT')!.levels.top(100)).toEqual(truthOf(rows.slice(0, 25)).top(100));
    await second.accept(rows.slice(25));
    r.now = T0 + 60_000;
    await second.flush();
    const ds = await digests(r.ledger);
    expect(await archivedExchangeRows(r)).toEqual(texts(rows));
    expect(new Set(ds.map((d) => d.intervalStart)).size).toBe(ds.length);
    await second.close();
  });

  it('a failure after the file is written but before the digest: the restart writes the same file and records the digest once', async () => {
    const r = await rig();
    const rows = stream(15, 100);
    const failing = await r.open({ recordDigest: () => Promise.reject(new Error('ledger gone')) });
    await failing.accept(rows);
    await expect(failing.flush()).rejects.toThrow(/ledger gone/);
    await expect(failing.accept(rows.slice(0, 1))).rejects.toThrow(/archive stopped after a failed write/);
    await failing.close().catch(() => undefined);
    const again = await r.open();
    r.now = T0 + 60_000;
    await again.flush();
    const ds = await digests(r.ledger);
    expect(ds.map((d) => d.intervalStart)).toEqual([T0, T0 + 1_000]);
    expect(await archivedExchangeRows(r)).toEqual(texts(rows));
    await again.close();
  });

  it('a failure after the digest but before the journal is compacted: the restart drops the recorded interval instead of counting it twice', async () => {
    const r = await rig();
    const rows = stream(15, 100);
    const journal = await openFileBookJournal(path.join(r.dir, 'journal'));
    const noCompaction: BookJournal = { ...journal, compact: () => Promise.reject(new Error('disk full')) };
    const failing = await r.open({ journal: noCompaction });
    await failing.accept(rows);
    await expect(failing.flush()).rejects.toThrow(/disk full/);
    await journal.close();
    const before = (await digests(r.ledger)).length;
    expect(before).toBe(1);
    const again = await r.open();
    expect(again.book('okx', 'BTC-USDT')!.levels.top(100)).toEqual(truthOf(rows).top(100));
    r.now = T0 + 60_000;
    await again.flush();
    const ds = await digests(r.ledger);
    expect(ds.map((d) => d.intervalStart)).toEqual([T0, T0 + 1_000]);
    expect(await archivedExchangeRows(r)).toEqual(texts(rows));
    await again.close();
  });

  it('any split of the same rows into batches and flushes records the same digests', async () => {
    const rows = stream(24, 130, 7);
    const reference = await rig();
    const one = await reference.open();
    await one.accept(rows);
    reference.now = T0 + 60_000;
    await one.flush();
    await one.close();
    const want = (await digests(reference.ledger)).map((d) => d.sha256);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: rows.length - 1 }), { maxLength: 6 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), async (cuts, flushes) => {
        const r = await rig();
        const archive = await r.open();
        const bounds = [0, ...cuts.sort((a, b) => a - b), rows.length];
        for (let i = 0; i + 1 < bounds.length; i++) {
          await archive.accept(rows.slice(bounds[i], bounds[i + 1]));
          if (flushes[i]) await archive.flush();
        }
        r.now = T0 + 60_000;
        await archive.flush();
        await archive.close();
        expect((await digests(r.ledger)).map((d) => d.sha256)).toEqual(want);
      }),
      { numRuns: 15 },
    );
    // Fifteen archives, each writing Parquet files: seconds alone, more beside another test file.
  }, 120_000);
});

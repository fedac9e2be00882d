/**
 * The order-book archive under SIGKILL, embedded profile: a child platform takes the simulator's
 * books through its own ingest while its flush timer closes intervals (lake file, then ledger
 * digest, then journal compaction); the test kills it several times (at seeded moments, the
 * moment a lake file or a journal compaction is being written, and the instant the child
 * acknowledges a batch) and restarts it on the same folder.
 *
 * Afterwards, with the last run's open intervals closed: every book item whose emit resolved is in
 * exactly one lake file, no item is in two, none is there that was never emitted; every lake file
 * is named by exactly one digest and matches it; a replay of the lake over HTTP at past instants
 * gives the book the tape itself gives; and `tickvault verify` passes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { watch, mkdtempSync, readdirSync, rmSync, type FSWatcher } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Config } from '../../src/app/config.js';
import { canonicalJson } from '../../src/domain/events/canonical.js';
import type { BookDigestRecordedData } from '../../src/domain/events/bookDigests.js';
import { bookDigestKey } from '../../src/domain/events/bookDigests.js';
import type { BookRow } from '../../src/domain/orderbook/archive/bookRow.js';
import type { BookItem } from '../../src/domain/ports.js';
import { issueKey, openTestPlatform, withKey } from '../support/platform.js';
import { ReferenceBook } from '../support/referenceBook.js';
import { repoRoot } from '../support/sharedData.js';
import { seededRng, testSeed } from '../support/testSeed.js';
import { createHash } from 'node:crypto';
import { bookItemsOf } from './bookTape.js';

const SEED = testSeed('book archive SIGKILL moments');
/** Event-time intervals of 2 s: the child closes dozens of them a second, so kills land among closings. */
const SETTINGS: Partial<Config> = { bookIntervalMs: 2_000, bookGraceMs: 1_000, bookSnapshotMs: 1_000 };
/**
 * When each run is killed: after a seeded delay; as soon as a temporary file appears beside a lake
 * file or the journal; or by the child itself the instant it acknowledges its n-th batch.
 */
type Moment = { readonly after: number } | { readonly whenWriting: 'lake' | 'orderbook-journal' } | { readonly atAck: number };

interface RunResult {
  /** Book items handed to the platform (the batch in flight included). */
  readonly emitted: number;
  /** Book items whose emit resolved. */
  readonly acked: number;
  /** What set the kill off: its moment, or the backstop when the moment never came. */
  readonly killedBy: 'moment' | 'backstop';
}

const runAndKill = (dataDir: string, run: number, moment: Moment): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/crash/bookArchiveChild.ts'), dataDir, String(run), JSON.stringify(SETTINGS), String('atAck' in moment ? moment.atAck : 0)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let emitted = 0;
    let acked = 0;
    let acks = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    let killedBy: RunResult['killedBy'] | undefined;
    const kill = (by: RunResult['killedBy']) => (): void => {
      killedBy ??= by;
      child.kill('SIGKILL');
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, n] = line.split(' ');
      if (word === 'emit') emitted = Number(n);
      if (word === 'ack') acked = Number(n);
      if (word === 'ack' && 'atAck' in moment && ++acks === moment.atAck) killedBy = 'moment';
      if (line !== 'ready' || 'atAck' in moment) return;
      if ('after' in moment) timer = setTimeout(kill('moment'), moment.after);
      // Some closings first, so the write we catch is one among many.
      else
        timer = setTimeout(() => {
          watcher = watch(dataDir, { recursive: true }, (_event, name) => {
            if (name !== null && name.startsWith(moment.whenWriting) && name.endsWith('.tmp')) kill('moment')();
          });
        }, 1_500);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // 'close', not 'exit': every line it printed has been read by then.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(backstop);
      watcher?.close();
      if (signal === 'SIGKILL' && killedBy !== undefined) resolve({ emitted, acked, killedBy });
      else reject(new Error(`child exited ${code ?? signal}: ${stderr}`));
    });
    // A moment that never comes (no write seen) still ends the run: the test then says so.
    const backstop = setTimeout(kill('backstop'), 20_000);
  });

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const rowText = (item: BookItem): string => canonicalJson({ ...item, origin: 'exchange' });

/** The book `exchange`/`symbol` after the given rows (in tape order) with event time ≤ at. */
const referenceAt = (rows: readonly BookRow[], at: number): ReferenceBook => {
  const b = new ReferenceBook();
  for (const r of rows) {
    if (r.data.eventTime > at) continue;
    if (r.kind === 'bookSnapshot') for (const side of ['bids', 'asks'] as const) for (const l of b.sorted(side)) b.set(side, l.price, '0');
    for (const [p, q] of r.data.bids) b.set('bids', p, q);
    for (const [p, q] of r.data.asks) b.set('asks', p, q);
  }
  return b;
};

const parquetFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet') && !path.basename(f).startsWith('.'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();

describe('SIGKILL of the order-book archive, embedded profile', () => {
  it('keeps every acknowledged book item in exactly one digested lake file across kills mid-stream and mid-closing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bookkill-'));
    const rng = seededRng(SEED);
    const moments: Moment[] = [
      { after: 800 + rng.int(1_500) },
      { whenWriting: 'lake' },
      { atAck: 3 + rng.int(6) },
      { whenWriting: 'orderbook-journal' },
      { after: 800 + rng.int(1_500) },
    ];
    try {
      const runs: RunResult[] = [];
      for (const [run, moment] of moments.entries()) runs.push(await runAndKill(dir, run, moment));
      expect(runs.every((r) => r.killedBy === 'moment' && r.acked > 0), JSON.stringify(runs)).toBe(true);

      // The tape of every run up to what its child handed over, and the part of it acknowledged.
      const emitted = new Map<string, { run: number; index: number; row: BookRow }>();
      const acked: string[] = [];
      for (const [run, r] of runs.entries()) {
        const items = await bookItemsOf(run, r.emitted);
        items.forEach((item, index) => {
          const text = rowText(item);
          expect(emitted.has(text), 'the tape repeats a book item: the test could not tell a double count').toBe(false);
          emitted.set(text, { run, index, row: { ...item, origin: 'exchange' } as BookRow });
          if (index < r.acked) acked.push(text);
        });
      }

      // Restart once more, close what the last run left open, and read the lake through the ledger's digests.
      const { platform, cleanup } = await openTestPlatform({ ...SETTINGS, bookGraceMs: 0 }, dir);
      try {
        await platform.orderBooks.archive.flush();
        expect(platform.orderBooks.archive.stats().openRows).toBe(0);
        const digests = (await platform.ledger.readTypes(0, ['BookDigestRecorded'], 1_000_000)).map((e) => ({ ...(e.data as BookDigestRecordedData), position: e.position }));
        expect(new Set(digests.map(bookDigestKey)).size, 'a digest recorded twice').toBe(digests.length);
        expect(new Set(digests.map((d) => `${d.exchange}/${d.symbol}/${d.intervalStart}`)).size, 'two digests for one interval of one book').toBe(digests.length);
        expect(parquetFiles(path.join(dir, 'lake')), 'every lake file named by one digest, no other').toEqual(digests.map((d) => d.file).sort());

        const archived = new Map<string, number>();
        for (const d of digests) {
          const texts = (await platform.orderBooks.lake.readRows(d.file))!;
          expect(texts.length, d.file).toBe(d.count);
          expect(sha256(texts.map((t) => `${t}\n`).join('')), d.file).toBe(d.sha256);
          for (const t of texts) if ((JSON.parse(t) as BookRow).origin === 'exchange') archived.set(t, (archived.get(t) ?? 0) + 1);
        }
        const twice = [...archived].filter(([, n]) => n > 1);
        expect(twice.length, `book items in the lake more than once, e.g. ${twice[0]?.[0]}`).toBe(0);
        const lost = acked.filter((t) => !archived.has(t));
        expect(lost.length, `acknowledged book items missing from the lake, e.g. ${lost[0]}`).toBe(0);
        const invented = [...archived.keys()].filter((t) => !emitted.has(t));
        expect(invented.length, `book items in the lake that were never emitted, e.g. ${invented[0]}`).toBe(0);

        // The lake replayed over HTTP, at instants across every run, equals the tape's own book then.
        const app = await buildServer(platform, { logger: false });
        try {
          const api = withKey(app, (await issueKey(platform, 'viewer')).key);
          const books = new Map<string, BookRow[]>();
          for (const t of [...archived.keys()].map((k) => emitted.get(k)!).sort((a, b) => a.run - b.run || a.index - b.index)) {
            const key = `${t.row.data.exchange}/${t.row.data.symbol}`;
            books.set(key, [...(books.get(key) ?? []), t.row]);
          }
          let replays = 0;
          for (const [key, rows] of books) {
            const [exchange, symbol] = key.split('/') as [string, string];
            const own = digests.filter((d) => d.exchange === exchange && d.symbol === symbol);
            for (const d of [own[0]!, own[Math.floor(own.length / 2)]!, own.at(-1)!]) {
              const at = d.lastEventTime;
              const res = await api.inject(`/api/v1/orderbook/${symbol}?exchange=${exchange}&depth=100&at=${at}`);
              expect(res.statusCode, res.body).toBe(200);
              const body = res.json() as { source: string; exchanges: Array<{ bids: unknown; asks: unknown }> };
              expect(body.source).toBe('lake');
              expect({ bids: body.exchanges[0]!.bids, asks: body.exchanges[0]!.asks }, `${key} at ${at}`).toEqual(referenceAt(rows, at).top(100));
              replays++;
            }
          }
          console.log(
            `book archive SIGKILL (seed ${SEED}): ${runs.length} kills ${JSON.stringify(moments.map((m, i) => ({ ...m, acked: runs[i]!.acked })))}, ${emitted.size} book items emitted, ${acked.length} acknowledged, ` +
              `${archived.size} in the lake, ${digests.length} digests/files, ${replays} replays checked`,
          );
        } finally {
          await app.close();
        }
      } finally {
        await cleanup();
      }

      const verify = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify', '--data-dir', dir, '--json', '--log-level', 'silent'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 170_000);
});

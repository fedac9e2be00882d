/**
 * Crash safety, on each profile: SIGKILL the platform at random moments during ingest (seeded
 * and printed: TICKVAULT_TEST_SEED replays them), several times, restarting it each time.
 * Afterwards no acknowledged event is missing, none is in the ledger twice, the chain verifies,
 * and the read models equal a fresh replay of the same ledger.
 * On the cluster profile the live views that survived the kills are Redis's own (not rebuilt),
 * so the comparison also checks that checkpoint and output were committed together.
 */
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { clusterStack } from '../support/clusterProfile.js';
import { openTestPlatform } from '../support/platform.js';
import { seededRng, testSeed } from '../support/testSeed.js';

const root = path.resolve(import.meta.dirname, '../..');
const KILLS = 5;
const SEED = testSeed('SIGKILL moments');

const runAndKill = (dataDir: string, seed: number, killAfterMs: number, settings: Partial<Config>): Promise<Array<{ position: number; key: string }>> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/crash/ingestChild.ts'), dataDir, String(seed), JSON.stringify(settings)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Array<{ position: number; key: string }> = [];
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const m = /^ack (\d+) (.+)$/.exec(line);
      if (m !== null) acks.push({ position: Number(m[1]), key: m[2]! });
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || code === 0) resolve(acks);
      else reject(new Error(`child exited ${code ?? signal}: ${stderr}`));
    });
  });

interface Profile {
  readonly name: string;
  readonly skip: boolean;
  /** Settings of the crashed platform, and of a fresh one that replays the same ledger from zero. */
  readonly settings: () => { crashed: Partial<Config>; fresh: (dir: string, fresh: string) => Partial<Config> };
}

const PROFILES: Profile[] = [
  {
    name: 'embedded',
    skip: false,
    settings: () => ({
      crashed: {},
      // A fresh replay: a copy of the same ledger file, no batch store, no checkpoints.
      fresh: (dir, fresh) => {
        for (const f of ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm']) {
          if (existsSync(path.join(dir, f))) copyFileSync(path.join(dir, f), path.join(fresh, f));
        }
        return {};
      },
    }),
  },
  {
    name: 'cluster',
    skip: clusterStack.skip,
    settings: () => {
      const crashed = clusterStack.config();
      // A fresh replay: the same ledger schema, a Redis prefix and batch store of its own.
      return { crashed, fresh: () => ({ ...crashed, redisPrefix: `${crashed.redisPrefix}fresh:` }) };
    },
  },
];

describe.each(PROFILES)('SIGKILL during ingest, $name profile', ({ skip, settings }) => {
  it.skipIf(skip)(`loses no acknowledged event and applies none twice across ${KILLS} kills`, async () => {
    const profile = settings();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-crash-'));
    const acks: Array<{ position: number; key: string }> = [];
    const moments = seededRng(SEED);
    for (let i = 0; i < KILLS; i++) {
      // Random moments, including ones where the batch projector is mid-pass.
      acks.push(...(await runAndKill(dir, i + 1, 800 + moments.int(1500), profile.crashed)));
    }
    expect(acks.length).toBeGreaterThan(KILLS);

    const recovered = await openTestPlatform(profile.crashed, dir);
    const fresh = mkdtempSync(path.join(os.tmpdir(), 'tv-fresh-'));
    try {
      const { ledger } = recovered.platform;
      // The alert engine appends what the killed process concluded but had not yet recorded; let it finish first.
      await recovered.platform.alertEngine.caughtUp;
      const head = await ledger.head();
      for (const a of acks) {
        expect(head.position).toBeGreaterThanOrEqual(a.position);
        expect(await ledger.findByDedupKey(a.key), a.key).toBeDefined();
      }
      expect(await ledger.verify()).toMatchObject({ ok: true, checked: head.position });

      await recovered.platform.liveProjection.caughtUp;
      await recovered.platform.batchProjector.runOnce();
      await recovered.platform.close();

      const replayed = await openTestPlatform(profile.fresh(dir, fresh), fresh);
      const again = await openTestPlatform(profile.crashed, dir);
      try {
        await replayed.platform.liveProjection.caughtUp;
        await replayed.platform.batchProjector.runOnce();
        await again.platform.liveProjection.caughtUp;
        const symbols = await replayed.platform.queries.symbols();
        expect(symbols.length).toBeGreaterThan(0);
        expect(await again.platform.queries.symbols()).toEqual(symbols);
        for (const s of symbols) {
          const [a, b] = [again.platform.batch, replayed.platform.batch];
          expect(await a.minutes(s, 0, Number.MAX_SAFE_INTEGER)).toEqual(await b.minutes(s, 0, Number.MAX_SAFE_INTEGER));
          expect(await a.candles(s, '1h', 0, Number.MAX_SAFE_INTEGER)).toEqual(await b.candles(s, '1h', 0, Number.MAX_SAFE_INTEGER));
          expect(await a.candles(s, '1d', 0, Number.MAX_SAFE_INTEGER)).toEqual(await b.candles(s, '1d', 0, Number.MAX_SAFE_INTEGER));
          expect(await again.platform.live.minutes(s, 0, Number.MAX_SAFE_INTEGER)).toEqual(await replayed.platform.live.minutes(s, 0, Number.MAX_SAFE_INTEGER));
        }
      } finally {
        await replayed.cleanup();
        await again.cleanup();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 180_000);
});

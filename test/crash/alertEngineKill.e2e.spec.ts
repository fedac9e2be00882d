/**
 * The alert engine under SIGKILL, embedded profile: a platform concluding alerts all the time is
 * killed at random moments (seeded and printed: TICKVAULT_TEST_SEED replays them), several
 * times, and restarted on the same data dir; each restart resumes from the engine's snapshot. Afterwards the alerts in the ledger are exactly those a
 * from-scratch fold of the ledger's rules and trades concludes, and none was appended twice.
 */
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { createAlertFold } from '../../src/domain/detectors/alertFold.js';
import { upcastEvent } from '../../src/domain/events/catalogue.js';
import { openTestPlatform } from '../support/platform.js';
import { seededRng, testSeed } from '../support/testSeed.js';

const root = path.resolve(import.meta.dirname, '../..');
const KILLS = 4;
const SEED = testSeed('alert engine SIGKILL moments');

/** Runs one child round and SIGKILLs it `killAfterMs` after it is ready; resolves with the position its engine resumed from. */
const runAndKill = (dataDir: string, round: number, killAfterMs: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/crash/alertEngineChild.ts'), dataDir, String(round)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let restored: number | undefined;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^restored (\d+)$/.exec(line);
      if (m !== null) restored = Number(m[1]);
      if (line === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if ((signal === 'SIGKILL' || code === 0) && restored !== undefined) resolve(restored);
      else reject(new Error(`child exited ${code ?? signal} (restored: ${restored}): ${stderr}`));
    });
  });

describe('SIGKILL of the alert engine, embedded profile', () => {
  it(`resumes from its snapshots across ${KILLS} kills; the alerts equal a from-scratch fold, none appended twice`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-alert-crash-'));
    try {
      const restoredFrom: number[] = [];
      const moments = seededRng(SEED);
      for (let round = 0; round < KILLS; round++) restoredFrom.push(await runAndKill(dir, round, 1_000 + moments.int(2_000)));
      // The first run starts empty; every later one resumes from a snapshot of an earlier run.
      expect(restoredFrom[0]).toBe(0);
      for (const r of restoredFrom.slice(1)) expect(r).toBeGreaterThan(0);

      const recovered = await openTestPlatform({}, dir);
      try {
        const { ledger, alertEngine } = recovered.platform;
        expect(alertEngine.stats().restoredFrom).toBeGreaterThan(0);
        await alertEngine.caughtUp;
        for (let i = 0; i < 3; i++) await alertEngine.waitFor((await ledger.head()).position);

        const events = await ledger.read(0, 10_000_000);
        const appended = events.filter((e) => e.type === 'AlertRaised' || e.type === 'AlertResolved').map((e) => `${e.type} ${(e.data as { alertId: string }).alertId}`);
        const fold = createAlertFold({ allowedLatenessMs: DEFAULT_CONFIG.allowedLatenessMs });
        const expected: string[] = [];
        for (const raw of events) {
          const e = upcastEvent(raw);
          if (e !== undefined) for (const o of fold.apply(e)) expected.push(`${o.type} ${o.data.alertId}`);
        }
        expect(expected.length).toBeGreaterThan(100);
        expect(new Set(appended).size).toBe(appended.length);
        expect([...appended].sort()).toEqual([...expected].sort());
      } finally {
        await recovered.cleanup();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

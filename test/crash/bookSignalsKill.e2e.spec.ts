/**
 * The book detectors under SIGKILL, embedded profile: a platform fed busy books (spoofing episodes
 * and an arbitrage edge that opens and closes) kills itself at seeded moments (TICKVAULT_TEST_SEED
 * replays them) right after a batch is acknowledged, while its flush timer closes intervals and
 * saves the detectors' state, and is restarted on the same data folder from the next batch. The
 * alerts its ledger holds in the end are exactly those of a run never killed: an episode in
 * progress across a kill raised once, none lost.
 */
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestPlatform } from '../support/platform.js';
import { seededRng, testSeed } from '../support/testSeed.js';

const root = path.resolve(import.meta.dirname, '../..');
const KILLS = 10;
const SEED = testSeed('book signals SIGKILL moments');
const T0 = Date.now() - 2 * 3_600_000 - (Date.now() % 60_000);

/** Runs the child from batch `from`; resolves with the last batch acknowledged (it was killed after it, or finished). */
const runChild = (dataDir: string, from: number, killAtAck: number): Promise<{ last: number; finished: boolean }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/crash/bookSignalsChild.ts'), dataDir, String(T0), String(from), String(killAtAck)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = from - 1;
    let finished = false;
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^ack (\d+)$/.exec(line);
      if (m !== null) last = Number(m[1]);
      if (line === 'finished') finished = true;
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ last, finished });
      else reject(new Error(`child exited ${code ?? signal}: ${stderr}`));
    });
  });

const alertsOf = async (dataDir: string): Promise<string[]> => {
  const { platform } = await openTestPlatform({}, dataDir);
  try {
    const events = await platform.ledger.readTypes(0, ['AlertRaised', 'AlertResolved'], 100_000);
    return events.map((e) => `${e.type} ${(e.data as { alertId: string }).alertId}`).filter((a) => / (spoof|arb)\./.test(a)).sort();
  } finally {
    await platform.close();
  }
};

describe('SIGKILL of a platform taking in books, embedded profile', () => {
  it(`the book detectors resume across ${KILLS} kills: the alerts equal a run never killed`, async () => {
    const whole = mkdtempSync(path.join(os.tmpdir(), 'tv-book-kill-whole-'));
    const killed = mkdtempSync(path.join(os.tmpdir(), 'tv-book-kill-'));
    try {
      expect((await runChild(whole, 0, 0)).finished).toBe(true);
      const expected = await alertsOf(whole);
      expect(expected.filter((a) => a.startsWith('AlertRaised spoof.')).length).toBeGreaterThanOrEqual(2);
      expect(expected.filter((a) => a.startsWith('AlertRaised arb.')).length).toBeGreaterThanOrEqual(2);

      const moments = seededRng(SEED);
      let from = 0;
      for (let k = 0; k < KILLS; k++) from = (await runChild(killed, from, 2 + moments.int(6))).last + 1;
      expect((await runChild(killed, from, 0)).finished).toBe(true);
      expect(await alertsOf(killed)).toEqual(expected);
    } finally {
      rmSync(whole, { recursive: true, force: true });
      rmSync(killed, { recursive: true, force: true });
    }
  }, 170_000);
});

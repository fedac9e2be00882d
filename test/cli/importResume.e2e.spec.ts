/**
 * `tickvault import` killed midway (SIGKILL) and run again: the second run resumes — what the
 * first run committed stays, nothing is doubled — and the ledger ends with exactly the facts of
 * an uninterrupted import of the same recording. Importing a third time adds nothing.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireSharedData } from '../support/sharedData.js';

const FILE = 'binance-spot-ws-2024-08-08/btcusdt_20240809.gz';
const data = requireSharedData(FILE);
const cli = (dir: string): string[] => ['--import', 'tsx', 'src/cli/main.ts', 'import', data.path(FILE), '--data-dir', dir, '--log-level', 'silent'];

const facts = (dir: string): { keys: string[]; total: number } => {
  const db = new Database(path.join(dir, 'ledger.sqlite'), { readonly: true });
  try {
    const keys = (db.prepare("SELECT dedup_key AS k FROM events WHERE type = 'TradeObserved' ORDER BY dedup_key").all() as Array<{ k: string }>).map((r) => r.k);
    const total = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    return { keys, total };
  } finally {
    db.close();
  }
};
const tradeCount = (dir: string): number => {
  if (!existsSync(path.join(dir, 'ledger.sqlite'))) return 0;
  try {
    const db = new Database(path.join(dir, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM events WHERE type = 'TradeObserved'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // schema not created yet
  }
};

/** Starts an import and SIGKILLs it once some trades are committed; resolves with how many were. */
const importAndKill = (dir: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cli(dir), { cwd: repoRoot, stdio: 'ignore' });
    let exited = false;
    const poll = setInterval(() => {
      if (exited) return;
      if (tradeCount(dir) > 0) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', (code, signal) => {
      exited = true;
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve(tradeCount(dir));
      else reject(new Error(`the import finished (exit ${code}) before it could be killed: use a larger file`));
    });
  });

describe('tickvault import, interrupted and resumed', () => {
  it.skipIf(data.skip)('a killed import resumed by running it again ends equal to an uninterrupted one', async () => {
    data.assertAvailable();
    const killed = mkdtempSync(path.join(os.tmpdir(), 'tv-resume-'));
    const clean = mkdtempSync(path.join(os.tmpdir(), 'tv-clean-'));
    try {
      const before = await importAndKill(killed);
      const resumed = spawnSync(process.execPath, cli(killed), { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/already in the ledger/);
      const full = spawnSync(process.execPath, cli(clean), { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
      expect(full.status, full.stderr).toBe(0);

      const a = facts(killed);
      const b = facts(clean);
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(b.keys.length);
      expect(a.keys).toEqual(b.keys);
      expect(new Set(a.keys).size).toBe(a.keys.length);

      const again = spawnSync(process.execPath, cli(killed), { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
      expect(again.status, again.stderr).toBe(0);
      expect(facts(killed).total).toBe(a.total);
      expect(again.stdout).toMatch(/: 0 new/);
    } finally {
      rmSync(killed, { recursive: true, force: true });
      rmSync(clean, { recursive: true, force: true });
    }
  }, 300_000);
});

/**
 * `tickvault import` killed midway (SIGKILL) and run again: the second run resumes from the
 * checkpoint — it reads past the lines the first run committed instead of offering them to the
 * ledger again (at most the one batch in flight at the kill comes back as duplicates) — and the
 * ledger ends with exactly the facts of an uninterrupted import of the same recording. Importing
 * a third time reads past every line and adds nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, requireSharedData } from '../support/sharedData.js';
import { storedSqliteEvents } from '../support/sqliteLedgerFile.js';

const FILE = 'binance-spot-ws-2024-08-08/btcusdt_20240809.gz';
const data = requireSharedData(FILE);
const cli = (dir: string): string[] => ['--import', 'tsx', 'src/cli/main.ts', 'import', data.path(FILE), '--data-dir', dir, '--log-level', 'silent'];

const facts = (dir: string): { keys: string[]; total: number } => {
  const events = storedSqliteEvents(path.join(dir, 'ledger.sqlite'));
  const keys = events.filter((e) => e.type === 'TradeObserved').map((e) => e.dedupKey!).sort();
  return { keys, total: events.length };
};
const tradeCount = (dir: string): number => {
  if (!existsSync(path.join(dir, 'ledger.sqlite'))) return 0;
  try {
    return storedSqliteEvents(path.join(dir, 'ledger.sqlite')).filter((e) => e.type === 'TradeObserved').length;
  } catch {
    return 0; // schema not created yet
  }
};

/** Starts an import and SIGKILLs it once some trades are committed and checkpointed; resolves with how many were committed. */
const importAndKill = (dir: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cli(dir), { cwd: repoRoot, stdio: 'ignore' });
    let exited = false;
    const poll = setInterval(() => {
      if (exited) return;
      if (existsSync(path.join(dir, 'import-checkpoints.json')) && tradeCount(dir) > 0) {
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

/** What an import run printed: lines read past from the checkpoint, new facts, duplicates offered. */
const summary = (stdout: string): { resumed: number; lines: number; added: number; duplicates: number } => {
  const r = /resumed: read past (\d+) of (\d+) lines/.exec(stdout);
  const c = /(\d+) new, (\d+) already in the ledger/.exec(stdout);
  return { resumed: Number(r?.[1] ?? 0), lines: Number(r?.[2] ?? 0), added: Number(c?.[1] ?? -1), duplicates: Number(c?.[2] ?? -1) };
};
const BATCH = 1_000; // the replay source's batch size: at most one batch was in flight at the kill

describe('tickvault import, interrupted and resumed', () => {
  it.skipIf(data.skip)('a killed import resumed by running it again ends equal to an uninterrupted one', async () => {
    data.assertAvailable();
    const killed = mkdtempSync(path.join(os.tmpdir(), 'tv-resume-'));
    const clean = mkdtempSync(path.join(os.tmpdir(), 'tv-clean-'));
    try {
      const before = await importAndKill(killed);
      const resumed = spawnSync(process.execPath, cli(killed), { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
      expect(resumed.status, resumed.stderr).toBe(0);
      const second = summary(resumed.stdout);
      expect(second.resumed, resumed.stdout).toBeGreaterThan(0);
      expect(second.resumed).toBeLessThan(second.lines);
      expect(second.duplicates, resumed.stdout).toBeLessThanOrEqual(BATCH);
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
      const third = summary(again.stdout);
      expect(third.resumed, again.stdout).toBe(third.lines);
      expect(third.lines).toBeGreaterThan(0);
      expect(again.stdout).not.toMatch(/[1-9]\d* new/);
    } finally {
      rmSync(killed, { recursive: true, force: true });
      rmSync(clean, { recursive: true, force: true });
    }
  }, 300_000);
});

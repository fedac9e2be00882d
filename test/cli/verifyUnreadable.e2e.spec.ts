/**
 * A ledger whose stored event was altered so that its JSON no longer parses: `tickvault verify`
 * (SQLite and PostgreSQL ledgers) and GET /api/v1/ledger/verify name the position and the
 * reason, and exit 1 / answer 409, instead of failing with a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/adapters/http/server.js';
import { openPostgresLedger } from '../../src/adapters/ledger/postgres/postgresLedger.js';
import { loadOrCreateSigningKey } from '../../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { openPlatform } from '../../src/app/platform.js';
import type { Ledger } from '../../src/domain/ports.js';
import { uniqueName } from '../contracts/polling.js';
import { issueKeyInLedger, withKey } from '../support/platform.js';
import { repoRoot } from '../support/sharedData.js';
import { requireStack } from '../support/stack.js';
import { overwritePostgresEvent, overwriteSqliteEvent } from '../support/tamperLedger.js';

const postgres = requireStack('postgres');
const BROKEN = 7;
const BROKEN_REASON = /stored data is not JSON \(.+\): it was altered outside the ledger/;
/** The signing key the CLI finds in a data folder by default. */
const keyIn = (dataDir: string) => loadOrCreateSigningKey(path.join(dataDir, 'ledger-key.json'));

const verifyCli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify', ...args, '--log-level', 'silent'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });

const fill = async (ledger: Ledger): Promise<void> => {
  await ledger.append(
    Array.from({ length: 12 }, (_, i) => ({
      id: `verify-${i}`,
      type: 'TradeObserved',
      schemaVersion: 1,
      stream: 's',
      data: { i },
      meta: { actor: 'test', correlationId: 'c', causationId: null, source: 'test' },
    })),
  );
  await ledger.close();
};

/** The CLI's answer, in words and as JSON; never a stack trace. */
const expectBrokenAtThePosition = (args: string[]): void => {
  const words = verifyCli(...args);
  expect(words.stderr).not.toMatch(/\n\s+at /);
  expect(words.status).toBe(1);
  expect(words.stdout).toMatch(new RegExp(`^ledger BROKEN at position ${BROKEN}: ${BROKEN_REASON.source} \\(${BROKEN - 1} events checked\\)$`, 'm'));
  const json = verifyCli(...args, '--json');
  expect(json.status).toBe(1);
  const result = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { ok: boolean; position: number; reason: string };
  expect(result).toMatchObject({ ok: false, position: BROKEN, checked: BROKEN - 1 });
  expect(result.reason).toMatch(BROKEN_REASON);
};

describe('verify, on a ledger with a stored event that no longer parses', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('SQLite ledger: the CLI and the HTTP API name the position and the reason', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-verify-unreadable-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'ledger.sqlite');
    await fill(openSqliteLedger({ path: file, clock: systemClock, signer: keyIn(dataDir) }));
    // The compliance key is issued before the tampering: a ledger whose stored tree no longer
    // matches its signed checkpoint refuses every append, a key's issue included.
    const keyed = openSqliteLedger({ path: file, clock: systemClock, signer: keyIn(dataDir) });
    const { key } = await issueKeyInLedger(keyed, 'compliance');
    await keyed.close();
    overwriteSqliteEvent(file, BROKEN, 'data', '{"i":');

    expectBrokenAtThePosition(['--data-dir', dataDir]);

    // One-shot platform (no projections: they would read the broken event); the route is the same on every profile.
    const platform = await openPlatform({ config: { ...DEFAULT_CONFIG, dataDir, source: 'none' }, logger: pino({ level: 'silent' }), runProjections: false });
    const app = await buildServer(platform, { logger: false });
    try {
      const r = await withKey(app, key).inject('/api/v1/ledger/verify?wait=true');
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ ok: false, state: 'idle', failure: { position: BROKEN, reason: expect.stringMatching(BROKEN_REASON) } });
    } finally {
      await app.close();
      await platform.close();
    }
  }, 240_000);

  it.skipIf(postgres.skip)('PostgreSQL ledger: the CLI names the position and the reason', async () => {
    const url = postgres.endpoint().url;
    const schema = uniqueName('tv_verify').replace(/-/g, '_');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-verify-unreadable-pg-'));
    dirs.push(dataDir);
    try {
      await fill(await openPostgresLedger({ url, schema, clock: systemClock, signer: keyIn(dataDir) }));
      await overwritePostgresEvent(url, schema, BROKEN, 'data', '{"i":');
      expectBrokenAtThePosition(['--profile', 'cluster', '--postgres-url', url, '--postgres-schema', schema, '--data-dir', dataDir]);
    } finally {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }, 240_000);
});

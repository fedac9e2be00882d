/**
 * One key, one limit, however many API processes: two processes of the cluster profile count a
 * key's requests in the same Redis, so a burst spread over both is held to the key's limit once,
 * not once per process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresLedger } from '../../src/adapters/ledger/postgres/postgresLedger.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { clusterStack, dropClusterState } from '../support/clusterProfile.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';
import { startApiProcess } from '../support/apiProcess.js';
import { bearer, issueKeyInLedger } from '../support/platform.js';

const LIMIT = 30;

describe.skipIf(clusterStack.skip)('rate limit shared by two API processes (cluster profile)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a key gets its limit once across both processes, and 429 with Retry-After past it', async () => {
    const settings = { ...clusterStack.config(), rateLimitByRole: `viewer=${LIMIT}` };
    const dirs = [mkdtempSync(path.join(os.tmpdir(), 'tv-rate-')), mkdtempSync(path.join(os.tmpdir(), 'tv-rate-'))];
    cleanups.push(async () => {
      await dropClusterState(settings);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
    const ledger = await openPostgresLedger({ url: settings.postgresUrl!, schema: settings.postgresSchema!, clock: systemClock, signer: TEST_LEDGER_SIGNER });
    cleanups.push(() => ledger.close());
    const { key } = await issueKeyInLedger(ledger, 'viewer');
    const ports: number[] = [];
    for (const dataDir of dirs) {
      const api = await startApiProcess({ ...settings, dataDir });
      cleanups.push(() => void api.child.kill('SIGKILL'));
      ports.push(api.port);
    }

    // Twice the limit to each process, all at once.
    const started = Date.now();
    const answers = await Promise.all(
      ports.flatMap((port) => Array.from({ length: 2 * LIMIT }, () => fetch(`http://127.0.0.1:${port}/api/v1/symbols`, { headers: bearer(key) }))),
    );
    const elapsed = Date.now() - started;
    const accepted = answers.filter((r) => r.status === 200).length;
    const refused = answers.filter((r) => r.status === 429);
    expect(accepted + refused.length).toBe(answers.length);
    // Windows are the clock's seconds: the burst spans the seconds from its start to its end.
    const windows = Math.floor((started + elapsed) / 1_000) - Math.floor(started / 1_000) + 1;
    expect(accepted, `${accepted} accepted in ${elapsed} ms`).toBeLessThanOrEqual(LIMIT * windows);
    expect(accepted).toBeGreaterThanOrEqual(LIMIT);
    // Both processes refused: each alone would have let 2 × LIMIT through in one window.
    for (const port of ports) expect(answers.slice(ports.indexOf(port) * 2 * LIMIT, (ports.indexOf(port) + 1) * 2 * LIMIT).some((r) => r.status === 429)).toBe(true);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused[0]!.json()).toMatchObject({ error: 'rate_limited', details: { limit: LIMIT } });
  }, 180_000);
});

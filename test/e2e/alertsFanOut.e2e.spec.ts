/**
 * Alert fan-out on the cluster profile: two platform processes (API on two ports, the same
 * PostgreSQL schema and Redis prefix, their alert engines members of one consumer group) and a
 * /ws/alerts client on each. Both clients get every alert in ledger order, none repeated, though
 * each process's feed publishes every alert on Redis (so each client is sent it twice).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openPostgresLedger } from '../../src/adapters/ledger/postgres/postgresLedger.js';
import { createUuidV7Generator } from '../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { recordObservations } from '../../src/commands/recordObservations.js';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { createAlertFold } from '../../src/domain/detectors/alertFold.js';
import { upcastEvent } from '../../src/domain/events/catalogue.js';
import type { Ledger } from '../../src/domain/ports.js';
import { eventually } from '../contracts/polling.js';
import { clusterStack, dropClusterState } from '../support/clusterProfile.js';
import { bearer, issueKeyInLedger, origin, trade } from '../support/platform.js';
import { startApiProcess } from '../support/apiProcess.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';

const T = Date.UTC(2024, 0, 1);
const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT'];
const RULE = { ruleId: 'level-105', detector: 'price-level', symbols: '*', params: { level: 105, bandBps: 10 }, severity: 'critical' };

/** Steps [from, to): each symbol trades once a second, crossing 105 every 6 s. */
const crossings = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => from + k).flatMap((n) => SYMBOLS.map((symbol, i) => trade(String(n), Math.floor((n + i) / 3) % 2 === 0 ? '100' : '110', T + n * 1_000, { symbol })));

const alertPositions = async (ledger: Ledger): Promise<number[]> =>
  (await ledger.read(0, 1_000_000)).filter((e) => e.type === 'AlertRaised' || e.type === 'AlertResolved').map((e) => e.position);

describe.skipIf(clusterStack.skip)('alert fan-out across two API processes (cluster profile)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a /ws/alerts client on each process gets every alert, in order, none repeated', async () => {
    const settings = clusterStack.config();
    const dirs = [mkdtempSync(path.join(os.tmpdir(), 'tv-fanout-')), mkdtempSync(path.join(os.tmpdir(), 'tv-fanout-'))];
    cleanups.push(async () => {
      await dropClusterState(settings);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
    // Writes go straight to the shared ledger, as any ingest process's would; the key too, as `tickvault keys create` would.
    const ledger = await openPostgresLedger({ url: settings.postgresUrl!, schema: settings.postgresSchema!, clock: systemClock, pollMs: 20, signer: TEST_LEDGER_SIGNER });
    cleanups.push(() => ledger.close());
    const { key } = await issueKeyInLedger(ledger, 'trader');
    const apis = [];
    for (const dataDir of dirs) {
      const api = await startApiProcess({ ...settings, dataDir });
      cleanups.push(() => void api.child.kill('SIGKILL'));
      apis.push(api);
    }
    const deps = { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) };
    const created = await fetch(`http://127.0.0.1:${apis[0]!.port}/api/v1/alert-rules`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(key) }, body: JSON.stringify(RULE) });
    expect(created.status).toBe(201);

    const clients = apis.map(({ port }) => {
      const got: Array<{ type: string; position: number }> = [];
      let caughtUp = false;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/alerts?from=0&key=${key}`);
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as { type: string; position: number };
        if (m.type === 'caught-up') caughtUp = true;
        else got.push(m);
      });
      cleanups.push(() => ws.terminate());
      return { got, isCaughtUp: () => caughtUp };
    });
    await eventually(() => clients.every((c) => c.isCaughtUp()), { timeoutMs: 30_000, what: 'both clients caught up' });

    for (let n = 0; n < 120; n += 10) await recordObservations(deps, { origin, items: crossings(n, n + 10) });
    // The engines (one group, two members) append what a fold of the ledger concludes.
    const fold = createAlertFold({ allowedLatenessMs: DEFAULT_CONFIG.allowedLatenessMs });
    let concluded = 0;
    for (const raw of await ledger.read(0, 1_000_000)) {
      const e = upcastEvent(raw);
      if (e !== undefined) concluded += fold.apply(e).length;
    }
    await eventually(async () => (await alertPositions(ledger)).length === concluded, { timeoutMs: 90_000, intervalMs: 200, what: `the alert engines to append ${concluded} alerts` });
    const expected = await alertPositions(ledger);
    expect(expected.length).toBeGreaterThan(50);
    await eventually(() => clients.every((c) => c.got.length >= expected.length), { timeoutMs: 30_000, what: `both clients to get ${expected.length} alerts` });
    await new Promise((r) => setTimeout(r, 500)); // anything repeated would arrive by now
    for (const c of clients) {
      expect(c.got.map((m) => m.position)).toEqual(expected);
      expect(new Set(c.got.map((m) => m.type))).toEqual(new Set(['alert-raised', 'alert-resolved']));
    }
  }, 240_000);
});

/**
 * Process roles on the cluster profile (real PostgreSQL, Kafka, Redis, HBase): the platform run as
 * one process per role (api twice, ingest, live, batch, alerts, relay, jobs) answers exactly what
 * one process with every role answers for the same input (OHLCV merged from both layers, the
 * realtime view, the alerts), through either API process, after every role was killed with
 * SIGKILL in turn and restarted while the trades came in, and after the ingest process was
 * stopped with SIGTERM mid-load (it exits 0, and the ingest standby takes over: its replay starts
 * the files again, which the ledger takes once; so does each restart). Each deployment has a ledger schema, Redis prefix, Kafka topics and HBase tables of
 * its own; every process shares one ledger signing key, as the settings ask of a cluster.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey } from '../../src/adapters/ledger/checkpoint/signingKeyFile.js';
import { openPostgresLedger } from '../../src/adapters/ledger/postgres/postgresLedger.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { createUuidV7Generator } from '../../src/adapters/system/uuidv7.js';
import type { Config } from '../../src/app/config.js';
import { PROCESS_ROLES, type ProcessRole } from '../../src/app/processRoles.js';
import { registerAlertRule } from '../../src/commands/registerAlertRule.js';
import type { Ledger } from '../../src/domain/ports.js';
import { registerDefaultAlertRules } from '../../src/projections/alerts/defaultRules.js';
import { eventually, sleep } from '../contracts/polling.js';
import { clusterStack, dropClusterState } from '../support/clusterProfile.js';
import { bearer, issueKeyInLedger, origin } from '../support/platform.js';
import { startTickvault, type StartedTickvault } from '../support/tickvaultStart.js';

const T = Date.UTC(2024, 0, 2);
const MINUTES = 30;
const FILES = [
  { name: 'BTCUSDT-trades-2024-01-02.csv', symbol: 'BTC-USDT', base: 100 },
  { name: 'ETHUSDT-trades-2024-01-02.csv', symbol: 'ETH-USDT', base: 50 },
];
/** One trade a second per symbol; the price steps up 10% and back every 3 minutes, crossing the rule's level. */
const tradeLines = (base: number): string[] =>
  Array.from({ length: MINUTES * 60 }, (_, k) => {
    const price = (base * (Math.floor(k / 180) % 2 === 0 ? 1 : 1.1) + (k % 7) / 100).toFixed(2);
    const qty = ((1 + (k % 5)) / 10).toFixed(1);
    return `${k + 1},${price},${qty},${(Number(price) * Number(qty)).toFixed(4)},${T + k * 1_000},${k % 3 === 0 ? 'True' : 'False'},True`;
  });
const TRADES = FILES.length * MINUTES * 60;
const RULE = { ruleId: 'level-crossing', detector: 'price-level', symbols: '*', params: { level: 105, bandBps: 10 }, severity: 'critical' };
/** The split deployment's pace: 30 minutes of trades in about 30 s, so the kills land while they come in. */
const SPLIT_SPEED = 60;

/** What differs between two ledgers holding the same facts: where and when each was recorded. */
const RECORDING_FIELDS = new Set(['position', 'recordedAt', 'throughPosition']);
const withoutRecording = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(withoutRecording);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !RECORDING_FIELDS.has(k)).map(([k, x]) => [k, withoutRecording(x)]));
};

/** The answers compared: merged OHLCV (1m and 1h), the realtime view and the alerts of each symbol. */
const answersOf = async (url: string, key: string): Promise<Record<string, unknown>> => {
  const out: Record<string, unknown> = {};
  for (const { symbol } of FILES) {
    for (const path of [
      `/api/v1/ohlcv/${symbol}?interval=1m&from=${T}&to=${T + (MINUTES + 5) * 60_000}`,
      `/api/v1/ohlcv/${symbol}?interval=1h&from=${T}&to=${T + 3_600_000}`,
      `/api/v1/realtime/${symbol}`,
      `/api/v1/alerts?symbol=${symbol}&limit=500`,
    ]) {
      const res = await fetch(`${url}${path}`, { headers: bearer(key) });
      out[path] = res.status === 200 ? withoutRecording(await res.json()) : { status: res.status, body: await res.text() };
    }
  }
  return out;
};

const tradesIn = async (ledger: Ledger): Promise<number> => {
  let trades = 0;
  for (let after = 0; ; ) {
    const page = await ledger.read(after, 5_000);
    if (page.length === 0) return trades;
    trades += page.filter((e) => e.type === 'TradeObserved').length;
    after = page[page.length - 1]!.position;
  }
};

interface Deployment {
  readonly settings: Partial<Config>;
  readonly ledger: Ledger;
  readonly key: string;
  /** The flags every process of the deployment gets (its ConfigMap), the data folder aside. */
  readonly flags: (speed: number) => string[];
}

describe.skipIf(clusterStack.skip)('process roles (cluster profile)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const tmp = (prefix: string): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  /** A fresh platform state on the shared servers, with the key the test reads with and the alert rules already in its ledger. */
  const deployment = async (files: readonly string[], keyFile: string): Promise<Deployment> => {
    const settings = clusterStack.config();
    cleanups.push(() => dropClusterState(settings));
    const ledger = await openPostgresLedger({ url: settings.postgresUrl!, schema: settings.postgresSchema!, clock: systemClock, pollMs: 50, signer: loadOrCreateSigningKey(keyFile) });
    cleanups.push(() => ledger.close());
    const deps = { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) };
    const { key } = await issueKeyInLedger(ledger, 'trader');
    // Rules first, in both deployments: a rule folds the trades after it in the ledger.
    await registerDefaultAlertRules(deps);
    await registerAlertRule(deps, RULE, origin);
    const flags = (speed: number): string[] => [
      ...['--profile', 'cluster', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', '--ledger-key-file', keyFile],
      ...['--postgres-url', settings.postgresUrl!, '--postgres-schema', settings.postgresSchema!, '--redis-url', settings.redisUrl!, '--redis-prefix', settings.redisPrefix!],
      ...['--kafka-brokers', settings.kafkaBrokers!, '--kafka-topic-prefix', settings.kafkaTopicPrefix!, '--hbase-url', settings.hbaseUrl!, '--hbase-table-prefix', settings.hbaseTablePrefix!],
      ...['--source', 'replay', '--files', files.join(','), '--speed', String(speed), '--batch-interval-ms', '1000'],
    ];
    return { settings, ledger, key, flags };
  };

  const start = async (d: Deployment, speed: number, roles: string): Promise<StartedTickvault> => {
    return startTickvault([...d.flags(speed), '--roles', roles, '--data-dir', tmp('tv-roles-data-')], (child) => cleanups.push(() => void child.kill('SIGKILL')));
  };

  it('answers as one process does, through either API process, after each role was killed and restarted mid-load', async () => {
    const dir = tmp('tv-roles-');
    const files = FILES.map((f) => {
      const file = path.join(dir, f.name);
      writeFileSync(file, `${tradeLines(f.base).join('\n')}\n`);
      return file;
    });
    const keyFile = path.join(dir, 'ledger-key.json');

    // The reference: one process with every role, the files at full speed.
    const single = await deployment(files, keyFile);
    const all = await start(single, 0, 'all');
    await eventually(async () => (await tradesIn(single.ledger)) === TRADES, { timeoutMs: 60_000, intervalMs: 500, what: () => `the single process to record ${TRADES} trades:\n${all.output()}` });
    let expected: Record<string, unknown> = {};
    // Settled: the live and batch views at the ledger head, and the same answers three times, batch passes apart.
    let same = 0;
    await eventually(
      async () => {
        const before = JSON.stringify(expected);
        expected = await answersOf(all.url, single.key);
        const health = (await (await fetch(`${all.url}/health`)).json()) as { projections: { live: { lag: number }; batch: { lag: number } } };
        same = JSON.stringify(expected) === before && health.projections.live.lag === 0 && health.projections.batch.lag === 0 ? same + 1 : 0;
        return same >= 2;
      },
      { timeoutMs: 90_000, intervalMs: 2_000, what: () => `the single process to settle:\n${all.output()}` },
    );
    const alerts = expected[`/api/v1/alerts?symbol=BTC-USDT&limit=500`] as { alerts: unknown[] };
    expect(alerts.alerts.length).toBeGreaterThan(5);
    expect((expected[`/api/v1/ohlcv/BTC-USDT?interval=1m&from=${T}&to=${T + (MINUTES + 5) * 60_000}`] as { candles: unknown[] }).candles.length).toBe(MINUTES);
    all.child.kill('SIGTERM');
    expect(await all.exited).toEqual({ code: 0, signal: null });

    // The same input through one process per role.
    const split = await deployment(files, keyFile);
    const names = ['api', 'api', 'live', 'batch', 'alerts', 'relay', 'jobs'] as const;
    const procs = await Promise.all(names.map((role) => start(split, SPLIT_SPEED, role)));
    const byRole = new Map<string, StartedTickvault>(names.map((n, i) => [i === 1 ? 'api-2' : n, procs[i]!]));
    byRole.set('ingest', await start(split, SPLIT_SPEED, 'ingest'));
    /** Kills a role's process and starts its successor (resolved once it listens). */
    const restart = async (name: string): Promise<StartedTickvault> => {
      const p = byRole.get(name)!;
      p.child.kill('SIGKILL');
      expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
      return start(split, SPLIT_SPEED, name === 'api-2' ? 'api' : name);
    };

    await eventually(async () => (await tradesIn(split.ledger)) > 200, { timeoutMs: 60_000, intervalMs: 300, what: () => `trades to come in:\n${byRole.get('ingest')!.output()}` });
    // One sequencer: a second ingest process stands by while the first runs...
    const standby = await start(split, SPLIT_SPEED, 'ingest');
    const standingBy = async (): Promise<boolean> => {
      const ready = (await (await fetch(`${standby.url}/health/ready`)).json()) as { checks: Array<{ name: string; detail: string }> };
      return ready.checks.some((c) => c.name === 'role ingest' && c.detail.startsWith('standby'));
    };
    await eventually(standingBy, { timeoutMs: 10_000, intervalMs: 100, what: 'the second ingest process to stand by' });
    // ...and takes over when the first stops. SIGTERM mid-load: the batch being recorded finishes, the process exits 0.
    byRole.get('ingest')!.child.kill('SIGTERM');
    expect(await byRole.get('ingest')!.exited).toEqual({ code: 0, signal: null });
    await eventually(async () => !(await standingBy()), { timeoutMs: 30_000, intervalMs: 250, what: () => `the standby to take over:\n${standby.output()}` });
    byRole.set('ingest', standby);
    // Each role killed in turn, a second apart, while its successors start.
    const successors = new Map<string, Promise<StartedTickvault>>();
    for (const name of ['ingest', 'live', 'batch', 'relay', 'alerts', 'jobs', 'api-2', 'api'] as const) {
      successors.set(name, restart(name));
      await sleep(1_000);
    }
    for (const [name, next] of successors) byRole.set(name, await next);
    expect(new Set([...byRole.keys()].map((n) => n.replace('-2', '')))).toEqual(new Set<ProcessRole>(PROCESS_ROLES));

    for (const api of ['api', 'api-2']) {
      let got: Record<string, unknown> = {};
      await eventually(
        async () => {
          got = await answersOf(byRole.get(api)!.url, split.key);
          return JSON.stringify(got) === JSON.stringify(expected);
        },
        { timeoutMs: 120_000, intervalMs: 1_000, what: () => `${api} to answer as the single process` },
      ).catch(() => expect(got).toEqual(expected));
    }
    expect(await tradesIn(split.ledger)).toBe(TRADES);

    // Every role stops on SIGTERM with exit code 0.
    for (const [name, p] of byRole) {
      p.child.kill('SIGTERM');
      expect({ name, ...(await p.exited) }).toEqual({ name, code: 0, signal: null });
    }
  }, 600_000);
});

/**
 * The alert engine as a Kafka consumer group on the real Kafka and PostgreSQL: two members (one
 * in a child process) share the trades topic's partitions; the child is SIGKILLed mid-run, the
 * survivor takes its partitions over (restoring the child's snapshots and folding the ledger
 * from there), and in the end the ledger's alerts are exactly those the ledger engine's fold
 * concludes over the same events, each appended once.
 */
import { createInterface } from 'node:readline';
import { alertsFromScratch, alertsIn } from '../../support/ledgerAlerts.js';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../../../src/adapters/bus/kafka/kafkaBus.js';
import { openPostgresLedger } from '../../../src/adapters/ledger/postgres/postgresLedger.js';
import { openPostgresSnapshotStore } from '../../../src/adapters/snapshot-store/postgres/postgresSnapshotStore.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { recordAlerts } from '../../../src/commands/recordAlerts.js';
import { recordObservations } from '../../../src/commands/recordObservations.js';
import { registerAlertRule } from '../../../src/commands/registerAlertRule.js';
import { DEFAULT_ALERT_RULES } from '../../../src/projections/alerts/defaultRules.js';
import { createPartitionedAlertEngine, type PartitionedAlertEngineStats } from '../../../src/projections/alerts/partitionedAlertEngine.js';
import { createRelay } from '../../../src/projections/relay/relay.js';
import { eventually, uniqueName } from '../../contracts/polling.js';
import { deleteTopicsByPrefix } from '../../support/clusterProfile.js';
import { requireStack } from '../../support/stack.js';
import type { MemberSettings } from './alertEngineMember.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const postgres = requireStack('postgres');
const kafka = requireStack('kafka');
const root = path.resolve(import.meta.dirname, '../../..');

const LATENESS = 2_000;
const T = Date.UTC(2024, 0, 1);
const SYMBOLS = ['BTC', 'ETH', 'SOL', 'XRP', 'ADA', 'DOT', 'LTC', 'BNB', 'TRX', 'AVAX', 'LINK', 'ATOM'].map((b) => `${b}-USDT`);
const origin = { actor: 'test', correlationId: 'c', source: 'test' };

/** Steps [from, to): every symbol trades on two exchanges every 200 ms, crossing 105 every 10 s; a third of the symbols diverge between exchanges half the time. */
const steps = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => from + k).flatMap((n) =>
    SYMBOLS.flatMap((symbol, i) => {
      const base = Math.floor((n + i * 7) / 50) % 2 === 0 ? 100 : 110;
      const apart = i % 3 === 0 && n % 300 < 150 ? 1.01 : 1;
      return ['binance', 'coinbase'].map((exchange) => ({
        kind: 'trade' as const,
        data: { exchange, symbol, tradeId: `${n}`, price: (exchange === 'coinbase' ? base * apart : base).toFixed(4), quantity: '1', side: 'buy', eventTime: T + n * 200 },
      }));
    }),
  );

describe.skipIf(postgres.skip || kafka.skip)('alert engine in a Kafka consumer group', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('a killed member\'s partitions are taken over from its snapshots; the alerts equal the ledger engine\'s, none appended twice', async () => {
    const postgresUrl = postgres.endpoint().url;
    const brokers = kafka.endpoint().url;
    const schema = uniqueName('tv_group').replace(/-/g, '_');
    const topicPrefix = `${uniqueName('tv')}.`;
    const group = uniqueName('alert-engine');
    const ledger = await openPostgresLedger({ url: postgresUrl, schema, clock: systemClock, pollMs: 20, signer: TEST_LEDGER_SIGNER });
    const bus = await createKafkaBus({ brokers: [brokers], clientId: 'alert-group-test', topicPrefix, logLevel: 'nothing' });
    const snapshots = await openPostgresSnapshotStore({ url: postgresUrl, schema });
    cleanups.push(async () => {
      await snapshots.close();
      await bus.close();
      await ledger.close();
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
      await deleteTopicsByPrefix(brokers, topicPrefix);
    });
    const deps = { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) };
    const relay = createRelay({ ledger, bus, name: uniqueName('relay'), batchSize: 500 });
    await relay.start();
    cleanups.push(() => relay.stop());
    for (const r of [...DEFAULT_ALERT_RULES, { ruleId: 'level-105', detector: 'price-level', symbols: '*', severity: 'warning', params: { level: 105 } }]) await registerAlertRule(deps, r, origin);
    const feed = async (from: number, to: number) => {
      for (let n = from; n < to; n += 10) await recordObservations(deps, { origin, items: steps(n, Math.min(n + 10, to)) });
    };

    // Member A in this process, member B in a child.
    const a = createPartitionedAlertEngine({ ledger, bus, group, allowedLatenessMs: LATENESS, record: (o, from) => recordAlerts(deps, o, from), snapshots, clock: systemClock, snapshotEveryEvents: 300, snapshotIntervalMs: 3_600_000 });
    await a.start();
    cleanups.push(() => a.stop());
    const settings: MemberSettings = { postgresUrl, schema, brokers, topicPrefix, group, allowedLatenessMs: LATENESS, snapshotEveryEvents: 300 };
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/projections/alerts/alertEngineMember.ts'), JSON.stringify(settings)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    let b: PartitionedAlertEngineStats | undefined;
    let stderr = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('stats ')) b = JSON.parse(line.slice(6)) as PartitionedAlertEngineStats;
    });
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));

    // Both members folding their share of the partitions, B having saved snapshots. The feed
    // starts once the child has started its engine and goes on until then: on a busy machine
    // the child may take a minute to start and join, and a member that joins after the feed
    // is over has nothing to fold or snapshot.
    let fed = 0;
    await eventually(async () => {
      if (b !== undefined && Object.keys(b.partitions).length > 0 && b.snapshotsSaved > 0 && Object.keys(a.partitionStats().partitions).length > 0) return true;
      if (b !== undefined && fed < 12_000) {
        await feed(fed, fed + 50);
        fed += 50;
      }
      return false;
    }, {
      timeoutMs: 150_000,
      intervalMs: 200,
      what: () => `both members folding partitions (child stderr: ${stderr})`,
    });
    const bOwned = Object.keys(b!.partitions).map(Number);
    expect(bOwned.filter((p) => p in a.partitionStats().partitions)).toEqual([]);

    // Kill B mid-run: the feed goes on, and A must take B's partitions over.
    const rest = feed(fed, fed + 600);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await rest;
    const head = (await ledger.head()).position;
    await relay.waitFor(head);

    // A, now the group's only member, folds and records every trade through the head.
    await a.waitFor(head);
    expect(a.stats().checkpoint).toBeGreaterThan(0);
    const expected = (await alertsFromScratch(ledger, LATENESS)).sort();
    expect(expected.length).toBeGreaterThan(50);
    await eventually(async () => JSON.stringify((await alertsIn(ledger)).sort()) === JSON.stringify(expected), { timeoutMs: 120_000, intervalMs: 500, what: 'the ledger to hold the ledger engine\'s alerts' }).catch(async (e: unknown) => {
      const got = await alertsIn(ledger);
      throw new Error(`${(e as Error).message}: missing ${expected.filter((x) => !got.includes(x)).slice(0, 5).join(', ')}; extra ${got.filter((x) => !expected.includes(x)).slice(0, 5).join(', ')}`);
    });
    const appended = await alertsIn(ledger);
    expect(new Set(appended).size).toBe(appended.length);
    // A folds every partition now, and took B's up from B's snapshots.
    const stats = a.partitionStats();
    for (const p of bOwned) {
      expect(stats.partitions[p]).toBeGreaterThan(0);
      expect(stats.restored.some((r) => r.partition === p && r.from > 0)).toBe(true);
    }
  }, 300_000);
});

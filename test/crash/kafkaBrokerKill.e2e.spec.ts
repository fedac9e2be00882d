/**
 * Broker loss on the 3-broker cluster (RF 3, min.insync.replicas 2): while the relay publishes
 * ledger events, one broker is SIGKILLed by its recorded pid. The relay must finish with every
 * event acknowledged, and a fresh consumer group must read every one of them: zero lost. The
 * killed broker is started again afterwards by the stack script, leaving the cluster whole.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../../src/adapters/bus/kafka/kafkaBus.js';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { createRelay } from '../../src/projections/relay/relay.js';
import { TOPICS } from '../../src/projections/relay/topics.js';
import { eventually, uniqueName } from '../contracts/polling.js';
import { tradeEvents } from '../support/newEvents.js';
import { requireStack } from '../support/stack.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const kafka3 = requireStack('kafka3');
const EVENTS = 30_000;

describe.skipIf(kafka3.skip)('relay on 3 brokers, one SIGKILLed mid-publish', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickvault-broker-kill-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    // Bring the killed broker back (a no-op for the nodes still running).
    await run(process.execPath, [path.join(root, 'deploy/local/stack.mjs'), 'up', 'kafka3'], { cwd: root, timeout: 180_000 });
  }, 200_000);

  it('loses no acknowledged event', async () => {
    const endpoint = kafka3.endpoint();
    const brokers = endpoint['brokers'] as string[];
    const pidFiles = endpoint['pidFiles'] as string[];
    const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    const bus = await createKafkaBus({ brokers, clientId: 'broker-kill-relay', logLevel: 'nothing' });
    const ids = new Set<string>();
    for (let i = 0; i < EVENTS; i += 5_000) {
      const batch = tradeEvents(i, 5_000);
      for (const e of batch) ids.add(e.id);
      await ledger.append(batch);
    }
    const head = (await ledger.head()).position;
    // Small batches, so the kill lands while many sends are still to come.
    const relay = createRelay({ ledger, bus, name: uniqueName('relay'), batchSize: 300, maxBackoffMs: 1_000 });
    await relay.start();
    await eventually(() => relay.stats().checkpoint >= 3_000, { timeoutMs: 120_000, what: 'the relay to publish 3,000 events' });
    const victim = Number(readFileSync(pidFiles[1]!, 'utf8').trim());
    process.kill(victim, 'SIGKILL');
    expect(relay.stats().checkpoint).toBeLessThan(head); // the kill really was mid-publish
    await relay.waitFor(head);
    await relay.stop();
    await bus.close();

    // A fresh group on a fresh client counts what the cluster holds of this run's events.
    const reader = await createKafkaBus({ brokers, clientId: 'broker-kill-reader', logLevel: 'nothing' });
    const found = new Set<string>();
    const consumer = await reader.consume(uniqueName('count'), [TOPICS.pricesRaw], (batch) => {
      for (const m of batch) if (ids.has(m.event.id)) found.add(m.event.id);
    });
    await eventually(() => found.size >= ids.size, { timeoutMs: 120_000, intervalMs: 200, what: `all ${ids.size} events` }).catch(
      (e: unknown) => {
        throw new Error(`${(e as Error).message}: ${ids.size - found.size} acknowledged event(s) lost`);
      },
    );
    await consumer.stop();
    await reader.close();
    await ledger.close();
    expect(found.size).toBe(EVENTS);
  }, 400_000);
});

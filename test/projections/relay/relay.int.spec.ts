/**
 * The relay on the embedded ledger and the in-process bus: topics and keys, ordering, and the
 * checkpoint moving only after the bus acknowledged (retries, restarts, crashes between publish
 * and checkpoint), counted by a consumer that must see every event exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../../src/adapters/bus/in-process/inProcessBus.js';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import type { Bus, BusMessage, Ledger } from '../../../src/domain/ports.js';
import { createRelay, type Relay } from '../../../src/projections/relay/relay.js';
import { TOPICS } from '../../../src/projections/relay/topics.js';
import { eventually } from '../../contracts/polling.js';
import { createAlertSubscriptionDecider } from '../../../src/commands/createAlertSubscription.js';
import { rejectedEvent, tradeEvents } from '../../support/newEvents.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const ALL = Object.values(TOPICS);

describe('relay', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const setup = (): { ledger: Ledger; bus: Bus } => {
    // A file, not ':memory:': the ledger's writer thread opens the database on its own connection.
    const dir = mkdtempSync(join(tmpdir(), 'tv-relay-'));
    const ledger = openSqliteLedger({ path: join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    const bus = createInProcessBus();
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }), () => ledger.close(), () => bus.close());
    return { ledger, bus };
  };
  const started = async (relay: Relay): Promise<Relay> => {
    await relay.start();
    cleanups.push(() => relay.stop());
    return relay;
  };
  const collect = async (bus: Bus): Promise<BusMessage[]> => {
    const got: BusMessage[] = [];
    const c = await bus.consume('counter', ALL, (batch) => void got.push(...batch));
    cleanups.push(() => c.stop());
    return got;
  };

  it('publishes trades to crypto.prices.raw keyed by symbol and rejections to crypto.dlq, in ledger order per key', async () => {
    const { ledger, bus } = setup();
    const { head } = await ledger.append([...tradeEvents(0, 30), rejectedEvent('price is not a number')]);
    const relay = await started(createRelay({ ledger, bus }));
    await relay.waitFor(head);
    const got = await collect(bus);
    await eventually(() => got.length === 31, { what: '31 messages' });
    const trades = got.filter((m) => m.topic === TOPICS.pricesRaw);
    expect(trades).toHaveLength(30);
    for (const m of trades) expect(m.key).toBe((m.event.data as { symbol: string }).symbol);
    for (const key of new Set(trades.map((m) => m.key))) {
      const ps = trades.filter((m) => m.key === key).map((m) => m.event.position);
      expect(ps).toEqual([...ps].sort((a, b) => a - b));
    }
    const dlq = got.filter((m) => m.topic === TOPICS.dlq);
    expect(dlq.map((m) => (m.event.data as { reason: string }).reason)).toEqual(['price is not a number']);
    expect(await bus.checkpoint('relay')).toBe(head);
  });

  it('publishes a webhook subscription to crypto.alerts without its secret, which the ledger keeps', async () => {
    const { ledger, bus } = setup();
    const secret = 'relay-test-secret-0123456789';
    let n = 0;
    const [event] = createAlertSubscriptionDecider.decide(
      { data: { url: 'http://127.0.0.1:9/hook', secret }, metadata: { origin: { actor: 'test', correlationId: 'c', source: 'test' }, now: 0, nextId: () => `sub-${++n}` } },
      createAlertSubscriptionDecider.initialState(),
    );
    const { head } = await ledger.append([event!]);
    const relay = await started(createRelay({ ledger, bus }));
    await relay.waitFor(head);
    const got = await collect(bus);
    await eventually(() => got.length === 1, { what: 'the subscription message' });
    expect(got[0]!.topic).toBe(TOPICS.alerts);
    expect(got[0]!.event.data).toEqual({ subscriptionId: 'sub-1', url: 'http://127.0.0.1:9/hook', filter: {} });
    expect(JSON.stringify(got[0])).not.toContain(secret);
    expect((await ledger.read(0, 10))[0]!.data).toMatchObject({ secret });
  });

  it('keeps the checkpoint back while the bus refuses, retries, and then publishes everything once', async () => {
    const { ledger, bus } = setup();
    let refusals = 3;
    const flaky: Bus = {
      ...bus,
      publish: async (ms) => {
        if (refusals-- > 0) {
          await bus.publish(ms.slice(0, 2)); // a partial write before the failure
          throw new Error('broker unavailable');
        }
        await bus.publish(ms);
      },
    };
    const errors: unknown[] = [];
    const { head } = await ledger.append(tradeEvents(0, 20));
    const relay = await started(createRelay({ ledger, bus: flaky, onRetry: (e) => errors.push(e), maxBackoffMs: 20 }));
    await relay.waitFor(head);
    expect(errors).toHaveLength(3);
    expect(relay.stats().retries).toBe(3);
    const got = await collect(bus);
    await eventually(() => got.length >= 20, { what: '20 messages' });
    expect(got.map((m) => m.event.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('after a crash between publish and checkpoint, a new relay republishes and consumers still count each event once', async () => {
    const { ledger, bus } = setup();
    await ledger.append(tradeEvents(0, 10));
    const first = await started(createRelay({ ledger, bus }));
    await first.waitFor(10);
    await first.stop();
    // The next batch is published but its checkpoint never lands (the process "dies" there).
    let saves = 0;
    const dying: Bus = { ...bus, saveCheckpoint: async () => void saves++ };
    await ledger.append(tradeEvents(10, 10));
    const second = await started(createRelay({ ledger, bus: dying }));
    await eventually(() => saves > 0, { what: 'the second relay to publish' });
    await second.stop();
    expect(await bus.checkpoint('relay')).toBe(10);

    const { head } = await ledger.append(tradeEvents(20, 5));
    const third = await started(createRelay({ ledger, bus }));
    await third.waitFor(head);
    expect(third.stats().published).toBe(15); // 10 again, 5 new
    const got = await collect(bus);
    await eventually(() => got.some((m) => m.event.position === head), { what: 'the last event' });
    expect(got.map((m) => m.event.position).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('skips, and counts, event types it has no topic for', async () => {
    const { ledger, bus } = setup();
    const [future] = tradeEvents(0, 1);
    const { head } = await ledger.append([{ ...future!, type: 'SomethingFromTheFuture' }, ...tradeEvents(1, 2)]);
    const relay = await started(createRelay({ ledger, bus }));
    await relay.waitFor(head);
    expect(relay.stats()).toMatchObject({ checkpoint: head, published: 2, skipped: 1 });
  });
});

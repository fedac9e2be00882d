/**
 * Bad input on the cluster profile: a malformed frame from a live connector (a fake Coinbase on
 * loopback) is kept as InputRejected in the PostgreSQL ledger, with its reason and raw text, and
 * the relay publishes it to `crypto.dlq` on the real Kafka; the good trades around it still land.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../../src/adapters/bus/kafka/kafkaBus.js';
import { loadConfig } from '../../src/app/config.js';
import { sourceFromConfig } from '../../src/app/sources.js';
import type { BusMessage } from '../../src/domain/ports.js';
import { TOPICS } from '../../src/projections/relay/topics.js';
import { eventually, uniqueName } from '../contracts/polling.js';
import { clusterStack } from '../support/clusterProfile.js';
import { startFakeExchange, type FakeExchange } from '../support/fakeExchange.js';
import { openTestPlatform } from '../support/platform.js';

const now = Date.now();
const match = (id: number): string => JSON.stringify({ type: 'match', trade_id: id, sequence: id * 2, time: new Date(now - 500).toISOString(), product_id: 'ETH-USD', size: '1.5', price: '2600.10', side: 'buy' });
const MALFORMED = JSON.stringify({ type: 'match', trade_id: 2, sequence: 4, time: new Date(now - 500).toISOString(), product_id: 'ETH-USD', size: '1.5', price: 'twenty', side: 'buy' });

const fakes: FakeExchange[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

describe.skipIf(clusterStack.skip)('live sources on the cluster profile', () => {
  it('a malformed Coinbase frame lands as InputRejected in PostgreSQL and on crypto.dlq in Kafka', async () => {
    const coinbase = await startFakeExchange();
    fakes.push(coinbase);
    const settings = clusterStack.config();
    const config = loadConfig({ env: {}, flags: { source: 'coinbase', symbols: 'ETH-USD', coinbaseWsUrl: coinbase.wsUrl, coinbaseRestUrl: coinbase.httpUrl } });
    const { platform, cleanup } = await openTestPlatform(settings);
    const reader = await createKafkaBus({ brokers: settings.kafkaBrokers!.split(','), clientId: uniqueName('tv-dlq-reader'), topicPrefix: settings.kafkaTopicPrefix });
    const dlq: BusMessage[] = [];
    const consumer = await reader.consume(uniqueName('tv-dlq'), [TOPICS.dlq], (ms) => void dlq.push(...ms));
    const stop = new AbortController();
    try {
      const ingest = platform.ingest(sourceFromConfig(config, now)!, stop.signal);
      const c1 = await coinbase.connection(1);
      await eventually(() => c1.received.length === 1, { what: 'the Coinbase subscription' });
      c1.socket.send(match(1));
      c1.socket.send(MALFORMED);
      c1.socket.send('{"type":"match",'); // not even JSON
      c1.socket.send(match(3));

      let rows: Array<{ id: string; type: string; data: unknown }> = [];
      await eventually(async () => {
        rows = await platform.ledger.read(0, 1_000);
        return rows.filter((r) => r.type === 'InputRejected').length === 2 && rows.filter((r) => r.type === 'TradeObserved').length === 2;
      }, { what: 'two trades and two rejections in the PostgreSQL ledger', timeoutMs: 20_000 });
      const rejections = rows.filter((r) => r.type === 'InputRejected').map((r) => ({ id: r.id, data: r.data as { source: string; reason: string; raw: string } }));
      expect(rejections.map((r) => r.data.source)).toEqual(['coinbase', 'coinbase']);
      expect(rejections[0]!.data.reason).toMatch(/price must be a decimal string, got "twenty"/);
      expect(rejections[0]!.data.raw).toBe(MALFORMED);
      expect(rejections[1]!.data.reason).toMatch(/JSON/);

      await eventually(() => rejections.every((r) => dlq.some((m) => m.event.id === r.id)), { what: 'both rejections on crypto.dlq', timeoutMs: 30_000 });
      const published = dlq.filter((m) => rejections.some((r) => r.id === m.event.id));
      expect(published.map((m) => m.event.type)).toEqual(['InputRejected', 'InputRejected']);
      expect(published.map((m) => (m.event.data as { reason: string }).reason)).toEqual(rejections.map((r) => r.data.reason));
      expect(published.every((m) => m.topic === TOPICS.dlq)).toBe(true);
      stop.abort();
      await ingest;
    } finally {
      stop.abort();
      await consumer.stop();
      await reader.close();
      await cleanup();
    }
  }, 90_000);
});

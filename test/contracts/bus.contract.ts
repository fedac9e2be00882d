/**
 * The Bus contract: every adapter (in-process, Kafka) runs these same tests, written only
 * against the port. Topics and groups get unique names, so a test never sees another's
 * messages on a shared broker. Delivery is asynchronous: tests wait with `eventually`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/domain/events/envelope.js';
import type { Bus, BusConsumer, BusMessage } from '../../src/domain/ports.js';
import { eventually, uniqueName } from './polling.js';

export interface BusHarness {
  readonly bus: Bus;
  /** A second client on the same bus (another process, for Kafka); closed by cleanup. */
  other(): Promise<Bus>;
  cleanup(): Promise<void>;
}

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT', 'ADA-USDT'];

export const eventAt = (position: number, symbol = SYMBOLS[position % SYMBOLS.length] ?? 'BTC-USDT'): RecordedEvent => ({
  position,
  id: `event-${position}-${Math.random().toString(36).slice(2, 8)}`,
  type: 'TradeObserved',
  schemaVersion: 1,
  stream: `trades/binance/${symbol}/2024-01-01`,
  streamVersion: position,
  data: { exchange: 'binance', symbol, tradeId: String(position), price: '100.5', quantity: '0.25', side: 'buy', eventTime: 1_704_067_200_000 + position },
  meta: { recordedAt: 1_704_067_200_000 + position, actor: 'test', correlationId: 'c', causationId: null, source: 'test' },
  dedupKey: `trade/binance/${symbol}/${position}`,
  leafHash: String(position).padStart(64, '0'),
});

const messagesOf = (topic: string, from: number, count: number): BusMessage[] =>
  Array.from({ length: count }, (_, i) => {
    const event = eventAt(from + i);
    return { topic, key: (event.data as { symbol: string }).symbol, event };
  });

interface Received {
  readonly messages: BusMessage[];
  readonly handler: (batch: readonly BusMessage[]) => void;
}
const received = (): Received => {
  const messages: BusMessage[] = [];
  return { messages, handler: (batch) => void messages.push(...batch) };
};

const positions = (ms: readonly BusMessage[]): number[] => ms.map((m) => m.event.position).sort((a, b) => a - b);

export const busContract = (name: string, make: () => Promise<BusHarness>, timeoutMs = 10_000): void => {
  describe(`Bus contract: ${name}`, () => {
    let h: BusHarness;
    const consumers: BusConsumer[] = [];
    const wait = (check: () => boolean, what: string) => eventually(check, { timeoutMs: timeoutMs * 3, intervalMs: 20, what });

    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      for (const c of consumers.splice(0)) await c.stop();
      await h.cleanup();
    });

    it('delivers every published event, unchanged, with its key, topic and the partition partitionOf names; one key keeps its order', async () => {
      const topic = uniqueName('t');
      const sent = messagesOf(topic, 1, 60);
      await h.bus.publish(sent);
      const r = received();
      consumers.push(await h.bus.consume(uniqueName('g'), [topic], r.handler));
      await wait(() => r.messages.length >= sent.length, 'all messages');
      expect(r.messages).toHaveLength(sent.length);
      const byId = new Map(r.messages.map((m) => [m.event.id, m]));
      for (const m of sent) expect(byId.get(m.event.id)).toEqual({ ...m, partition: await h.bus.partitionOf(topic, m.key) });
      for (const symbol of SYMBOLS) {
        const ofKey = r.messages.filter((m) => m.key === symbol).map((m) => m.event.position);
        expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
      }
    });

    it('delivers volumes far beyond one fetch, every message exactly once', async () => {
      const topic = uniqueName('t');
      const total = 12_000;
      for (let i = 0; i < total; i += 2_000) await h.bus.publish(messagesOf(topic, i + 1, 2_000));
      const r = received();
      consumers.push(await h.bus.consume(uniqueName('g'), [topic], r.handler));
      await wait(() => r.messages.length >= total, `${total} messages`);
      expect(positions(r.messages)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    });

    it('gives each group every message, and messages published after a consumer joined', async () => {
      const topics = [uniqueName('a'), uniqueName('b')];
      const first = received();
      const second = received();
      await h.bus.publish([...messagesOf(topics[0]!, 1, 10), ...messagesOf(topics[1]!, 11, 10)]);
      consumers.push(await h.bus.consume(uniqueName('g1'), topics, first.handler));
      consumers.push(await h.bus.consume(uniqueName('g2'), topics, second.handler));
      await h.bus.publish(messagesOf(topics[1]!, 21, 5));
      const all = Array.from({ length: 25 }, (_, i) => i + 1);
      await wait(() => first.messages.length >= 25 && second.messages.length >= 25, 'both groups');
      expect(positions(first.messages)).toEqual(all);
      expect(positions(second.messages)).toEqual(all);
    });

    it('drops an event published twice (a relay that republished after a crash)', async () => {
      const topic = uniqueName('t');
      const sent = messagesOf(topic, 1, 20);
      await h.bus.publish(sent);
      await h.bus.publish(sent.slice(10));
      const marker = messagesOf(topic, 100, 1);
      await h.bus.publish(marker);
      const r = received();
      consumers.push(await h.bus.consume(uniqueName('g'), [topic], r.handler));
      await wait(() => r.messages.some((m) => m.event.position === 100), 'the marker');
      expect(positions(r.messages)).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 100]);
    });

    it('resumes a group after its committed offsets: a restarted member gets only what is new', async () => {
      const topic = uniqueName('t');
      const group = uniqueName('g');
      await h.bus.publish(messagesOf(topic, 1, 15));
      const before = received();
      const c1 = await h.bus.consume(group, [topic], before.handler);
      await wait(() => before.messages.length >= 15, 'first run');
      await c1.stop();
      await h.bus.publish(messagesOf(topic, 16, 5));
      const other = await h.other();
      const after = received();
      consumers.push(await other.consume(group, [topic], after.handler));
      await wait(() => after.messages.length >= 5, 'second run');
      expect(positions(after.messages)).toEqual([16, 17, 18, 19, 20]);
    });

    it('does not commit a batch whose handler failed: done rejects and the group gets it again', async () => {
      const topic = uniqueName('t');
      const group = uniqueName('g');
      await h.bus.publish(messagesOf(topic, 1, 5));
      const failing = await h.bus.consume(group, [topic], () => {
        throw new Error('handler broke');
      });
      await expect(failing.done).rejects.toThrow('handler broke');
      const other = await h.other();
      const r = received();
      consumers.push(await other.consume(group, [topic], r.handler));
      await wait(() => r.messages.length >= 5, 'redelivery');
      expect(positions(r.messages)).toEqual([1, 2, 3, 4, 5]);
    });

    it('shares a group between members: together they get every message', async () => {
      const topic = uniqueName('t');
      const group = uniqueName('g');
      const a = received();
      const b = received();
      const owned = { a: undefined as number[] | undefined, b: undefined as number[] | undefined };
      consumers.push(await h.bus.consume(group, [topic], a.handler, { onAssigned: (ps) => (owned.a = ps.map((p) => p.partition)) }));
      const other = await h.other();
      consumers.push(await other.consume(group, [topic], b.handler, { onAssigned: (ps) => (owned.b = ps.map((p) => p.partition)) }));
      await h.bus.publish(messagesOf(topic, 1, 40));
      await wait(() => new Set([...a.messages, ...b.messages].map((m) => m.event.id)).size >= 40, 'both members');
      expect([...new Set(positions([...a.messages, ...b.messages]))]).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      // Members told what they own (Kafka) own disjoint partitions, and get messages of those only.
      if (owned.a !== undefined && owned.b !== undefined) expect(owned.a.filter((p) => owned.b!.includes(p))).toEqual([]);
      for (const [got, mine] of [[a, owned.a], [b, owned.b]] as const) {
        if (mine !== undefined) for (const m of got.messages) expect(mine).toContain(m.partition);
      }
    });

    it('keeps checkpoints per publisher: 0 when none, the last saved one otherwise', async () => {
      const p1 = uniqueName('relay');
      const p2 = uniqueName('relay');
      expect(await h.bus.checkpoint(p1)).toBe(0);
      await h.bus.saveCheckpoint(p1, 10);
      await h.bus.saveCheckpoint(p2, 3);
      await h.bus.saveCheckpoint(p1, 25);
      const other = await h.other();
      expect(await other.checkpoint(p1)).toBe(25);
      expect(await other.checkpoint(p2)).toBe(3);
    });
  });
};

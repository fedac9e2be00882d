/**
 * An in-memory Bus, used by tests only (the embedded profile runs without a bus or relay): it
 * passes the Bus contract, so the relay and the consumer-group alert engine are tested on it
 * without Kafka. One in-memory log per topic, one committed offset per (group, topic).
 * Messages are stored encoded, as Kafka holds them, so both adapters hand consumers the same
 * values. A group's messages go to its oldest running member; when that member stops, the next
 * one carries on from the group's committed offsets. Each topic is one partition (0), so the
 * running member owns all of them. Nothing survives the process: the relay
 * that feeds it republishes from the ledger on start.
 */
import type { Bus, BusConsumer, BusConsumeOptions, BusHandler, BusMessage } from '../../../domain/ports.js';
import { decodeEvent, encodeEvent } from '../eventMessage.js';
import { recentIds } from '../recentIds.js';

interface StoredMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

interface Member {
  running: boolean;
  wake: () => void;
  /** Tells the member it owns its topics (it became the group's oldest member) or nothing. */
  assigned: (owns: boolean) => void;
}

interface Group {
  readonly offsets: Map<string, number>;
  readonly members: Member[];
}

const BATCH = 500;

export const createInProcessBus = (): Bus => {
  const logs = new Map<string, StoredMessage[]>();
  const groups = new Map<string, Group>();
  const checkpoints = new Map<string, number>();
  let closed = false;

  const wakeAll = (): void => {
    for (const g of groups.values()) for (const m of g.members) m.wake();
  };

  const groupOf = (name: string): Group => {
    let g = groups.get(name);
    if (g === undefined) {
      g = { offsets: new Map(), members: [] };
      groups.set(name, g);
    }
    return g;
  };

  /** The next messages of a group across its topics, with the offsets to commit after them. */
  const pending = (group: Group, topics: readonly string[]): { messages: StoredMessage[]; next: Map<string, number> } => {
    const messages: StoredMessage[] = [];
    const next = new Map<string, number>();
    for (const topic of topics) {
      const log = logs.get(topic) ?? [];
      const from = group.offsets.get(topic) ?? 0;
      const to = Math.min(log.length, from + BATCH - messages.length);
      messages.push(...log.slice(from, to));
      next.set(topic, to);
    }
    return { messages, next };
  };

  const consume = async (groupName: string, topics: readonly string[], handler: BusHandler, options: BusConsumeOptions = {}): Promise<BusConsumer> => {
    if (closed) throw new Error('bus is closed');
    const group = groupOf(groupName);
    const seen = recentIds();
    let signal: () => void = () => undefined;
    const assigned = (owns: boolean): void => options.onAssigned?.(owns ? topics.map((topic) => ({ topic, partition: 0 })) : []);
    const member: Member = { running: true, wake: () => signal(), assigned };
    group.members.push(member);
    assigned(group.members[0] === member);

    const loop = async (): Promise<void> => {
      while (member.running) {
        const { messages, next } = group.members[0] === member ? pending(group, topics) : { messages: [], next: new Map<string, number>() };
        if (messages.length === 0) {
          await new Promise<void>((resolve) => {
            signal = resolve;
          });
          continue;
        }
        const fresh: BusMessage[] = [];
        for (const m of messages) {
          const decoded = decodeEvent(m.value);
          if (!decoded.ok) options.onRejected?.(decoded.reason, m.value);
          else if (seen.firstSeen(decoded.event.id)) fresh.push({ topic: m.topic, key: m.key, event: decoded.event, partition: 0 });
        }
        if (fresh.length > 0) await handler(fresh);
        for (const [topic, offset] of next) group.offsets.set(topic, offset);
      }
    };

    const leave = (): void => {
      member.running = false;
      const i = group.members.indexOf(member);
      if (i >= 0) group.members.splice(i, 1);
      if (i === 0) group.members[0]?.assigned(true);
      signal();
      wakeAll(); // the next member takes over
    };
    const done = loop().finally(leave);
    done.catch(() => undefined); // observed by the caller through `done`
    return {
      done,
      async stop() {
        leave();
        await done.catch(() => undefined);
      },
    };
  };

  return {
    async publish(messages) {
      if (closed) throw new Error('bus is closed');
      for (const m of messages) {
        let log = logs.get(m.topic);
        if (log === undefined) {
          log = [];
          logs.set(m.topic, log);
        }
        log.push({ topic: m.topic, key: m.key, value: encodeEvent(m.event) });
      }
      wakeAll();
    },
    consume,
    partitionOf: async () => 0,
    async checkpoint(publisher) {
      return checkpoints.get(publisher) ?? 0;
    },
    async saveCheckpoint(publisher, position) {
      checkpoints.set(publisher, position);
    },
    async close() {
      closed = true;
      const members = [...groups.values()].flatMap((g) => g.members);
      for (const m of members) m.running = false;
      wakeAll();
    },
  };
};

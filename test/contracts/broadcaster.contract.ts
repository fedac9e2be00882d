/**
 * The Broadcaster contract: every adapter (in-process, Redis pub/sub) runs these same tests,
 * written only against the port.
 *
 * Delivery may be asynchronous, and a subscription may take a moment to become active, so no
 * test assumes a message has arrived when publish returns. Instead `settle` publishes probe
 * messages on each channel until every recorder has seen one: since a channel's messages
 * arrive in publish order, everything published before the probe has then been delivered,
 * and "was not delivered" can be asserted without sleeping.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Broadcaster } from '../../src/domain/ports.js';
import { eventually, uniqueName } from './polling.js';

export interface BroadcasterHarness {
  readonly broadcaster: Broadcaster;
  cleanup(): Promise<void>;
}

interface Probe {
  readonly probe: string;
}
const isProbe = (m: unknown): m is Probe => typeof m === 'object' && m !== null && typeof (m as { probe?: unknown }).probe === 'string';

interface Recorder {
  /** Messages other than probes, in arrival order. */
  readonly messages: unknown[];
  readonly probes: Set<string>;
  readonly handler: (message: unknown) => void;
}

const recorder = (after?: () => void): Recorder => {
  const messages: unknown[] = [];
  const probes = new Set<string>();
  return {
    messages,
    probes,
    handler: (m) => {
      if (isProbe(m)) probes.add(m.probe);
      else messages.push(m);
      after?.();
    },
  };
};

let probeNo = 0;

/** Publishes fresh probes to each channel until every listed recorder has seen one of them. */
const settle = async (b: Broadcaster, subscribers: ReadonlyArray<readonly [channel: string, r: Recorder]>): Promise<void> => {
  const sent = new Set<string>();
  await eventually(
    () => {
      for (const channel of new Set(subscribers.map(([c]) => c))) {
        const probe = `probe-${probeNo++}`;
        sent.add(probe);
        b.publish(channel, { probe });
      }
      return subscribers.every(([, r]) => [...r.probes].some((p) => sent.has(p)));
    },
    { intervalMs: 20, what: 'probe delivery' },
  );
};

export function broadcasterContract(name: string, make: () => Promise<BroadcasterHarness>): void {
  describe(`Broadcaster contract: ${name}`, () => {
    let h: BroadcasterHarness;
    let b: Broadcaster;
    let channel: string;

    beforeEach(async () => {
      h = await make();
      b = h.broadcaster;
      channel = uniqueName('stream');
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('delivers each message to every subscriber of the channel, in publish order', async () => {
      const [x, y] = [recorder(), recorder()];
      b.subscribe(channel, x.handler);
      b.subscribe(channel, y.handler);
      await settle(b, [[channel, x], [channel, y]]);
      const sent = [{ type: 'trades', n: 1 }, { type: 'candle', n: 2, candle: { open: 1.5, volume: 0.25 } }, { type: 'trades', n: 3 }];
      for (const m of sent) b.publish(channel, m);
      await settle(b, [[channel, x], [channel, y]]);
      expect(x.messages).toEqual(sent);
      expect(y.messages).toEqual(sent);
    });

    it('does not deliver a channel’s messages to subscribers of another channel', async () => {
      const other = uniqueName('stream-other');
      const [x, y] = [recorder(), recorder()];
      b.subscribe(channel, x.handler);
      b.subscribe(other, y.handler);
      await settle(b, [[channel, x], [other, y]]);
      b.publish(other, { to: 'other' });
      b.publish(channel, { to: 'channel' });
      b.publish(uniqueName('nobody-listens'), { to: 'nobody' });
      await settle(b, [[channel, x], [other, y]]);
      expect(x.messages).toEqual([{ to: 'channel' }]);
      expect(y.messages).toEqual([{ to: 'other' }]);
    });

    it('stops delivering to a handler once unsubscribed, and only to that one', async () => {
      const [x, y] = [recorder(), recorder()];
      const unsubscribeX = b.subscribe(channel, x.handler);
      b.subscribe(channel, y.handler);
      await settle(b, [[channel, x], [channel, y]]);
      b.publish(channel, { n: 1 });
      await settle(b, [[channel, x], [channel, y]]);
      unsubscribeX();
      unsubscribeX(); // a second call is harmless
      b.publish(channel, { n: 2 });
      await settle(b, [[channel, y]]);
      expect(x.messages).toEqual([{ n: 1 }]);
      expect(y.messages).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('a handler that throws neither breaks publish nor delivery to the others', async () => {
      const thrower = recorder(() => {
        throw new Error('subscriber is broken');
      });
      const x = recorder();
      b.subscribe(channel, thrower.handler);
      b.subscribe(channel, x.handler);
      await settle(b, [[channel, thrower], [channel, x]]);
      expect(() => b.publish(channel, { n: 1 })).not.toThrow();
      b.publish(channel, { n: 2 });
      await settle(b, [[channel, thrower], [channel, x]]);
      expect(x.messages).toEqual([{ n: 1 }, { n: 2 }]);
      // The thrower stays subscribed: isolation is not eviction.
      expect(thrower.messages).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('publishing to a channel nobody subscribes to is fine', async () => {
      expect(() => b.publish(uniqueName('empty'), { n: 1 })).not.toThrow();
    });
  });
}

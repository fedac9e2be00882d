/**
 * The cluster Broadcaster: Redis pub/sub, so a WebSocket client of any API process gets every
 * update whichever process's projection published it.
 *
 * Each process subscribes to a Redis channel once, while it has at least one local subscriber
 * of it, and hands messages to its local subscribers through the in-process broadcaster (which
 * already isolates a failing handler). Messages travel as JSON: subscribers get equal copies,
 * not the published object. Pub/sub is fire-and-forget by design: a client that needs history
 * reads it from the read models, and a lost publish costs one live update, never data.
 */
import { createInProcessBroadcaster } from '../in-process/inProcessBroadcaster.js';
import type { Broadcaster } from '../../../domain/ports.js';
import { openRedis } from '../../redis/redisClient.js';

export interface RedisBroadcasterOptions {
  readonly url: string;
  /** Channel prefix; `tv:` in production, a unique one per test. */
  readonly prefix?: string;
  /** Told when Redis refuses a publish or subscribe (the caller logs it). */
  readonly onError?: (error: unknown) => void;
}

export const createRedisBroadcaster = (options: RedisBroadcasterOptions): Broadcaster => {
  const prefix = options.prefix ?? 'tv:';
  const onError = options.onError ?? (() => undefined);
  // A connection in subscriber mode can do nothing else, hence two.
  const pub = openRedis({ url: options.url, name: 'tickvault-broadcast-pub' });
  const sub = openRedis({ url: options.url, name: 'tickvault-broadcast-sub' });
  const local = createInProcessBroadcaster();
  const listeners = new Map<string, number>();
  let closed = false;

  sub.on('message', (redisChannel: string, text: string) => {
    if (!redisChannel.startsWith(prefix)) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (e) {
      onError(e);
      return;
    }
    local.publish(redisChannel.slice(prefix.length), message);
  });

  return {
    publish(channel, message) {
      if (closed) return;
      pub.publish(prefix + channel, JSON.stringify(message)).catch(onError);
    },

    subscribe(channel, handler) {
      if (closed) return () => undefined;
      const unsubscribeLocal = local.subscribe(channel, handler);
      const count = listeners.get(channel) ?? 0;
      listeners.set(channel, count + 1);
      if (count === 0) sub.subscribe(prefix + channel).catch(onError);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        unsubscribeLocal();
        const left = (listeners.get(channel) ?? 1) - 1;
        if (left > 0) {
          listeners.set(channel, left);
          return;
        }
        listeners.delete(channel);
        if (!closed) sub.unsubscribe(prefix + channel).catch(onError);
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      await local.close();
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
};

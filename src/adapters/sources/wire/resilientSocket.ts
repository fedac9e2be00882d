/**
 * A WebSocket that stays up: reconnects with backoff and jitter, detects a dead peer (no frame
 * and no pong within the idle timeout), retires itself before an exchange's forced disconnect
 * (Binance closes every connection after 24 h), and calls `onOpen` after every (re)connect so the
 * caller subscribes again.
 *
 * Backpressure: frames are handed to `onFrames` in order, a batch at a time, and the next batch
 * waits until the previous one's promise settles. While the queue holds `highWater` frames the
 * socket is paused (TCP then pushes back on the exchange), so memory stays bounded and no frame
 * is ever dropped.
 */
import WebSocket from 'ws';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';

export type SocketEvent =
  | { readonly type: 'open'; readonly url: string }
  | { readonly type: 'closed'; readonly url: string; readonly reason: string; readonly retryInMs: number };

export interface ResilientSocketOptions {
  readonly url: string;
  /** Called after each (re)connect: send subscriptions here. */
  readonly onOpen?: (send: (message: string) => void) => void;
  /**
   * Frames in arrival order; awaited before the next batch (backpressure). `reconnect`: the
   * exchange asked for a new connection, so once the frames already received are handed over
   * this one ends and the next is made at once.
   */
  readonly onFrames: (frames: readonly string[]) => Promise<void | 'reconnect'>;
  readonly onEvent?: (event: SocketEvent) => void;
  /**
   * An application-level keep-alive some exchanges want besides WebSocket pings (OKX closes a
   * connection that sent nothing for 30 s unless it hears the text `ping`; Bybit asks for
   * `{"op":"ping"}` every 20 s).
   */
  readonly keepAlive?: { readonly message: string; readonly intervalMs: number };
  /** Client ping interval; the ws library answers the server's pings by itself. */
  readonly pingIntervalMs?: number;
  /** No frame and no pong for this long: the connection is dead, reconnect. */
  readonly idleTimeoutMs?: number;
  /** Reconnect proactively after this long (below the exchange's own limit). */
  readonly maxLifetimeMs?: number;
  readonly connectTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  /** Frames queued before the socket is paused. */
  readonly highWater?: number;
  /** Most frames handed over in one batch. */
  readonly maxBatch?: number;
}

const STOPPED = 'stopped';
const RECONNECT_ASKED = 'the exchange asked for a reconnect';
const RETIRED = 'connection reached its planned lifetime';

const DEFAULTS = {
  pingIntervalMs: 30_000,
  idleTimeoutMs: 90_000,
  maxLifetimeMs: 23.5 * 3_600_000,
  connectTimeoutMs: 10_000,
  backoff: { initialMs: 500, maxMs: 30_000 },
  highWater: 2_000,
  maxBatch: 500,
};

/** Runs one connection until it ends; resolves with why it ended. Rejects only if `onFrames` throws. */
const runConnection = (o: Required<Omit<ResilientSocketOptions, 'onOpen' | 'onEvent' | 'keepAlive'>> & ResilientSocketOptions, signal: AbortSignal, heard: () => void): Promise<string> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(o.url, { handshakeTimeout: o.connectTimeoutMs });
    const queue: string[] = [];
    let draining = false;
    let paused = false;
    let ended = false;
    let lastHeard = Date.now();
    const timers: NodeJS.Timeout[] = [];

    const finish = (why: string, error?: unknown): void => {
      if (ended) return;
      ended = true;
      for (const t of timers) clearInterval(t);
      signal.removeEventListener('abort', onAbort);
      ws.removeAllListeners('message');
      ws.on('error', () => undefined);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
      if (error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(why);
    };
    let endAfterDrain: string | undefined;
    const onAbort = (): void => {
      if (queue.length === 0 && !draining) return finish(STOPPED);
      // Hand over the frames already received before ending; read no more.
      ws.pause();
      endAfterDrain = STOPPED;
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const drain = async (): Promise<void> => {
      if (draining) return;
      draining = true;
      try {
        while (queue.length > 0 && !ended) {
          const batch = queue.splice(0, o.maxBatch);
          if ((await o.onFrames(batch)) === 'reconnect' && endAfterDrain === undefined) {
            ws.pause();
            endAfterDrain = RECONNECT_ASKED;
          }
          if (paused && queue.length < o.highWater / 2) {
            paused = false;
            ws.resume();
          }
        }
      } catch (e) {
        finish('handler failed', e);
        return;
      } finally {
        draining = false;
      }
      if (endAfterDrain !== undefined) finish(endAfterDrain);
    };

    ws.on('open', () => {
      lastHeard = Date.now();
      o.onEvent?.({ type: 'open', url: o.url });
      o.onOpen?.((m) => ws.send(m));
      timers.push(setInterval(() => {
        if (Date.now() - lastHeard > o.idleTimeoutMs) finish(`nothing heard for ${o.idleTimeoutMs} ms (no frames, no pong)`);
        else if (ws.readyState === WebSocket.OPEN) ws.ping();
      }, Math.min(o.pingIntervalMs, Math.max(10, Math.floor(o.idleTimeoutMs / 3)))));
      const keepAlive = o.keepAlive;
      if (keepAlive !== undefined) {
        timers.push(setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(keepAlive.message);
        }, keepAlive.intervalMs));
      }
      const retire = setTimeout(() => finish(`${RETIRED} of ${o.maxLifetimeMs} ms`), o.maxLifetimeMs);
      timers.push(retire as unknown as NodeJS.Timeout);
    });
    ws.on('message', (data: WebSocket.RawData) => {
      lastHeard = Date.now();
      // A connection that delivers counts as healthy: the backoff starts over.
      if (queue.length === 0 && !draining) heard();
      queue.push(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
      if (!paused && queue.length >= o.highWater) {
        paused = true;
        ws.pause();
      }
      void drain();
    });
    ws.on('pong', () => (lastHeard = Date.now()));
    ws.on('ping', () => (lastHeard = Date.now()));
    ws.on('close', (code, reason) => {
      // Frames already queued are still handed over before the connection counts as ended.
      const why = `closed by the server (code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ''})`;
      const wait = (): void => (draining || queue.length > 0 ? void setTimeout(wait, 5) : finish(why));
      wait();
    });
    ws.on('error', (e) => finish(`connection error: ${e.message}`));
  });

/** Keeps a connection up until `signal` aborts. Rejects only when `onFrames` throws. */
export const runResilientSocket = async (options: ResilientSocketOptions, signal: AbortSignal): Promise<void> => {
  const o = { ...DEFAULTS, ...options };
  let attempt = 0;
  while (!signal.aborted) {
    const why = await runConnection(o, signal, () => (attempt = 0));
    if (signal.aborted) return;
    // A planned ending (retirement, the exchange's request) calls for the next connection at once.
    const retryInMs = why.startsWith(RETIRED) || why === RECONNECT_ASKED ? 0 : backoffDelay(attempt++, o.backoff);
    o.onEvent?.({ type: 'closed', url: o.url, reason: why, retryInMs });
    await sleep(retryInMs, signal);
  }
};

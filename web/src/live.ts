/**
 * A WebSocket that comes back by itself: when it drops, the connection badge says so and it
 * reconnects with backoff; `path()` is asked again each time, so a feed can resume from the
 * last position it saw. Closing it (leaving the page) stops it for good.
 */
import { socketUrl } from './api.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const sockets = new Set<LiveSocket>();
const listeners = new Set<(state: LiveState, dropped: number) => void>();

/** The worst state of the open sockets, for the header's badge. */
const overall = (): LiveState => {
  let state: LiveState = 'live';
  for (const s of sockets) {
    if (s.state === 'reconnecting') return 'reconnecting';
    if (s.state === 'connecting') state = 'connecting';
  }
  return state;
};
let drops = 0;
const notify = (): void => {
  for (const l of listeners) l(overall(), drops);
};
export const onLiveState = (listener: (state: LiveState, dropped: number) => void): void => {
  listeners.add(listener);
  listener(overall(), drops);
};

const MAX_BACKOFF_MS = 10_000;

export class LiveSocket {
  state: LiveState = 'connecting';
  private socket: WebSocket | null = null;
  private closed = false;
  private attempt = 0;
  private timer: number | undefined;

  constructor(
    private readonly path: () => string,
    private readonly onMessage: (message: unknown) => void,
  ) {
    sockets.add(this);
    this.open();
  }

  private open(): void {
    const ws = new WebSocket(socketUrl(this.path()));
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.set('live');
    };
    ws.onmessage = (m) => {
      try {
        this.onMessage(JSON.parse(String(m.data)));
      } catch (e) {
        console.warn('a live message could not be handled', e);
      }
    };
    ws.onclose = () => {
      if (this.closed) return;
      drops++;
      this.set('reconnecting');
      const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt++);
      this.timer = window.setTimeout(() => this.open(), wait);
    };
  }

  private set(state: LiveState): void {
    this.state = state;
    notify();
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.timer);
    sockets.delete(this);
    this.socket?.close();
    notify();
  }
}

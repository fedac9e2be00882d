/**
 * What every per-symbol WebSocket shares: the symbol from the path (closed with 1008 when it is
 * not one), pings that drop a client which stopped answering, and sends that close a client too
 * slow to read (1013) rather than buffer for it without bound.
 */
import type { WebSocket } from 'ws';
import { parseSymbol } from './params.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PING_EVERY_MS = 30_000;

export interface SymbolSocket {
  readonly symbol: string;
  /** Sends the message as JSON while the socket is open; past the buffer bound, closes it saying `slowClient`. */
  send(message: unknown): void;
  /** Runs `f` when the socket closes. */
  onClose(f: () => void): void;
}

/** The socket's symbol and its guarded sends; undefined (the socket closed) when the path holds no symbol. */
export const openSymbolSocket = (socket: WebSocket, rawSymbol: string, slowClient: string): SymbolSocket | undefined => {
  let symbol: string;
  try {
    symbol = parseSymbol(rawSymbol);
  } catch (e) {
    socket.close(1008, e instanceof Error ? e.message.slice(0, 120) : 'bad symbol');
    return undefined;
  }
  let alive = true;
  socket.on('pong', () => (alive = true));
  const ping = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, PING_EVERY_MS);
  socket.on('close', () => clearInterval(ping));
  return {
    symbol,
    send(message) {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, slowClient);
        return;
      }
      socket.send(JSON.stringify(message));
    },
    onClose: (f) => void socket.on('close', f),
  };
};

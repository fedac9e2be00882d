/**
 * WebSocket /ws/book/:symbol: the symbol's live books and views (each exchange's and the
 * consolidated one, top levels), first as they stand, then at most one message per
 * `bookStreamMs` while they change. A client that cannot keep up is closed (1013) rather than
 * buffered without bound; one that stops answering pings is dropped.
 */
import type { FastifyInstance } from 'fastify';
import { bookChannel } from '../../../domain/names.js';
import type { HttpPlatform } from '../httpPlatform.js';
import { parseSymbol } from '../params.js';
import { symbolParams } from '../schemas/common.js';
import { upgradeRequired, WEBSOCKET_KEY, websocketResponses } from '../upgradeRequired.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PING_EVERY_MS = 30_000;
/** Levels per side in the first message (the broadcast ones carry the archive's stream depth). */
const HELLO_DEPTH = 20;

export default async function bookStreamRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  app.route<{ Params: { symbol: string } }>({
    method: 'GET',
    url: '/ws/book/:symbol',
    schema: {
      params: symbolParams,
      querystring: { type: 'object', properties: { key: WEBSOCKET_KEY } },
      response: websocketResponses('{type: book, symbol, exchanges, consolidated} as the books stand, then at most one such message per bookStreamMs while they change'),
    },
    handler: upgradeRequired('/ws/book/{symbol}'),
    wsHandler: (socket, req) => {
      let symbol: string;
      try {
        symbol = parseSymbol(req.params.symbol);
      } catch (e) {
        socket.close(1008, e instanceof Error ? e.message.slice(0, 120) : 'bad symbol');
        return;
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
      const send = (message: unknown): void => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'client too slow: reconnect, or read GET /api/v1/orderbook/{symbol}');
          return;
        }
        socket.send(JSON.stringify(message));
      };
      // Subscribed before the first message is made: no change between the two is missed.
      const unsubscribe = platform.broadcaster.subscribe(bookChannel(symbol), send);
      socket.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
      send({ type: 'book', ...platform.orderBooks.live(symbol, undefined, HELLO_DEPTH) });
    },
  });
}

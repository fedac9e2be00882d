/**
 * WebSocket /ws/book/:symbol: the symbol's live books and views (each exchange's and the
 * consolidated one, top levels), first as they stand, then at most one message per
 * `bookStreamMs` while they change. A client that cannot keep up is closed (1013) rather than
 * buffered without bound; one that stops answering pings is dropped.
 */
import type { FastifyInstance } from 'fastify';
import { bookChannel } from '../../../domain/names.js';
import type { HttpPlatform } from '../httpPlatform.js';
import { symbolParams } from '../schemas/common.js';
import { openSymbolSocket } from '../symbolSocket.js';
import { upgradeRequired, WEBSOCKET_KEY, websocketResponses } from '../upgradeRequired.js';

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
      const client = openSymbolSocket(socket, req.params.symbol, 'client too slow: reconnect, or read GET /api/v1/orderbook/{symbol}');
      if (client === undefined) return;
      // Subscribed before the first message is made: no change between the two is missed.
      client.onClose(platform.broadcaster.subscribe(bookChannel(client.symbol), client.send));
      client.send({ type: 'book', ...platform.orderBooks.live(client.symbol, undefined, HELLO_DEPTH) });
    },
  });
}

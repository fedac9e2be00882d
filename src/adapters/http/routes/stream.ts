/**
 * WebSocket /ws/stream/:symbol: a hello with the realtime view, then every trade, candle and alert
 * update of that symbol. A client that cannot keep up is closed (1013) rather than buffered
 * without bound; clients that stop answering pings are dropped.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { parseSymbol } from '../params.js';
import { streamChannel } from '../../../domain/names.js';
import { symbolParams } from '../schemas/common.js';
import { upgradeRequired, WEBSOCKET_KEY, websocketResponses } from '../upgradeRequired.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const PING_EVERY_MS = 30_000;

export default async function streamRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  app.route<{ Params: { symbol: string } }>({
    method: 'GET',
    url: '/ws/stream/:symbol',
    schema: {
      params: symbolParams,
      querystring: { type: 'object', properties: { key: WEBSOCKET_KEY } },
      response: websocketResponses('{type: hello, symbol, realtime}, then every trade, candle and alert update of the symbol as JSON'),
    },
    handler: upgradeRequired('/ws/stream/{symbol}'),
    wsHandler: async (socket, req) => {
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
      const unsubscribe = platform.broadcaster.subscribe(streamChannel(symbol), (message) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'client too slow: reconnect and catch up over REST');
          return;
        }
        socket.send(JSON.stringify(message));
      });
      socket.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
      const realtime = await platform.queries.realtime(symbol).catch(() => null);
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'hello', symbol, realtime }));
    },
  });
}

/**
 * WebSocket /ws/stream/:symbol: a hello with the realtime view, then every trade, candle and alert
 * update of that symbol. A client that cannot keep up is closed (1013) rather than buffered
 * without bound; clients that stop answering pings are dropped.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { streamChannel } from '../../../domain/names.js';
import { symbolParams } from '../schemas/common.js';
import { openSymbolSocket } from '../symbolSocket.js';
import { upgradeRequired, WEBSOCKET_KEY, websocketResponses } from '../upgradeRequired.js';


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
      const client = openSymbolSocket(socket, req.params.symbol, 'client too slow: reconnect and catch up over REST');
      if (client === undefined) return;
      client.onClose(platform.broadcaster.subscribe(streamChannel(client.symbol), client.send));
      const realtime = await platform.queries.realtime(client.symbol).catch(() => null);
      client.send({ type: 'hello', symbol: client.symbol, realtime });
    },
  });
}

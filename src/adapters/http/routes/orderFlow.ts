/**
 * GET /api/v1/orderflow/{symbol}?interval&from&to&exchange: order flow per bar of the merged
 * candles (the OHLCV route's range, defaults and limits): taker buy and sell volume, delta, CVD
 * over the answer's range, and the bar's book imbalance (null where the books were not observed).
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { candleRangeQuerystring, parseCandleRange, withIsoSpans, type CandleRangeQuerystring } from '../candleRange.js';
import { parseSymbol } from '../params.js';
import { responses, symbolParams } from '../schemas/common.js';
import { orderFlowAnswer } from '../schemas/orderFlow.js';

export default async function orderFlowRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  app.get<{ Params: { symbol: string }; Querystring: CandleRangeQuerystring }>('/api/v1/orderflow/:symbol', {
    schema: {
      description: 'Order flow per bar: taker buy/sell volume (exact decimals), delta, cumulative volume delta from the first bar of the range, and book imbalance (time-weighted touch imbalance; null for bars without book observations).',
      params: symbolParams,
      querystring: candleRangeQuerystring,
      response: responses({ 200: orderFlowAnswer }, ['not_found']),
    },
  }, async (req) => withIsoSpans(await platform.queries.orderFlow(parseCandleRange(parseSymbol(req.params.symbol), req.query, platform.clock))));
}

/** Several symbols' risk figures in one answer: GET /api/v1/risk?symbols=BTC-USDT,ETH-USDT, each as GET /api/v1/risk/{symbol} gives it. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { queryRisk } from '../../../read-models/risk.js';
import { QUERY_TEXT, responses, symbolList } from '../schemas/common.js';
import { risksAnswer } from '../schemas/risk.js';
import { parseSymbolList } from '../portfolioParams.js';
import { parseAsOfDay, parseRiskFree, parseRiskInterval, parseWindow } from '../riskParams.js';

export default async function riskSymbolsRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  app.get<{ Querystring: { symbols?: string; asOf?: string; window?: string; riskFree?: string; interval?: string } }>(
    '/api/v1/risk',
    {
      schema: {
        querystring: { type: 'object', properties: { symbols: symbolList(4_096), asOf: QUERY_TEXT, window: QUERY_TEXT, riskFree: QUERY_TEXT, interval: QUERY_TEXT }, additionalProperties: false },
        response: responses({ 200: risksAnswer }, ['not_found']),
      },
    },
    async (req) => {
      const q = req.query;
      const interval = parseRiskInterval(q.interval);
      const common = { asOf: parseAsOfDay(q.asOf, platform.clock.now()), window: parseWindow(q.window, interval), riskFree: parseRiskFree(q.riskFree), interval };
      const symbols = parseSymbolList(q.symbols);
      return { risks: await Promise.all(symbols.map((symbol) => queryRisk(platform.queries.ohlcv, { symbol, ...common }))) };
    },
  );
}

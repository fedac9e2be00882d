/**
 * Analytics queries: the correlation matrix of a window's returns and the network built on it, the
 * published view where one matches the query, else computed on demand (read-models/analytics/servedViews.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { QUERY_TEXT, responses, symbolList } from '../schemas/common.js';
import { correlationAnswer, networkAnswer } from '../schemas/analytics.js';
import { parseCorrelationMethod, parseCorrelationWindow, parseSymbolList, parseThreshold, parseTop } from '../analyticsParams.js';
import { parseAsOfDay } from '../riskParams.js';

interface AnalyticsQuerystring {
  symbols?: string;
  top?: string;
  window?: string;
  method?: string;
  asOf?: string;
  threshold?: string;
}

/** A thousand symbols of a usual length (BTC-USDT) and their commas, within the 16 KB a request line may take. */
const SYMBOLS_TEXT = symbolList(12_000);
const common = { symbols: SYMBOLS_TEXT, top: QUERY_TEXT, window: QUERY_TEXT, method: QUERY_TEXT, asOf: QUERY_TEXT };

export default async function analyticsRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  const query = (q: AnalyticsQuerystring) => ({
    symbols: parseSymbolList(q.symbols),
    top: parseTop(q.top),
    window: parseCorrelationWindow(q.window),
    method: parseCorrelationMethod(q.method),
    asOf: parseAsOfDay(q.asOf, platform.clock.now()),
  });

  app.get<{ Querystring: AnalyticsQuerystring }>('/api/v1/analytics/correlation', {
    schema: { querystring: { type: 'object', properties: common, additionalProperties: false }, response: responses({ 200: correlationAnswer }, ['not_found']) },
  }, async (req) => platform.analytics.correlation(query(req.query)));

  app.get<{ Querystring: AnalyticsQuerystring }>('/api/v1/analytics/network', {
    schema: { querystring: { type: 'object', properties: { ...common, threshold: QUERY_TEXT }, additionalProperties: false }, response: responses({ 200: networkAnswer }, ['not_found']) },
  }, async (req) => platform.analytics.network({ ...query(req.query), threshold: parseThreshold(req.query.threshold) }));
}

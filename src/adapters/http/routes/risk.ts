/** Risk queries: a symbol's figures as of a UTC day, its VaR backtest, and recording an assessment on demand. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { queryRisk, queryVarBacktest } from '../../../read-models/risk.js';
import { originOf } from '../commandOrigin.js';
import { parseSymbol } from '../params.js';
import { QUERY_TEXT, responses, symbolParams } from '../schemas/common.js';
import { riskAnswer, riskAssessed, varBacktestAnswer } from '../schemas/risk.js';
import { parseAsOfDay, parseBacktestDays, parseRiskFree, parseRiskInterval, parseVarMethod, parseWindow } from '../riskParams.js';

interface RiskQuerystring {
  asOf?: string;
  window?: string;
  riskFree?: string;
  interval?: string;
}

export default async function riskRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  const ohlcv = platform.queries.ohlcv;
  const riskQuery = (symbol: string, q: RiskQuerystring) => {
    const interval = parseRiskInterval(q.interval);
    return {
      symbol: parseSymbol(symbol),
      asOf: parseAsOfDay(q.asOf, platform.clock.now()),
      window: parseWindow(q.window, interval),
      riskFree: parseRiskFree(q.riskFree),
      interval,
    };
  };

  app.get<{ Params: { symbol: string }; Querystring: RiskQuerystring }>('/api/v1/risk/:symbol', {
    schema: {
      params: symbolParams,
      querystring: { type: 'object', properties: { asOf: QUERY_TEXT, window: QUERY_TEXT, riskFree: QUERY_TEXT, interval: QUERY_TEXT }, additionalProperties: false },
      response: responses({ 200: riskAnswer }, ['not_found']),
    },
  }, async (req) => queryRisk(ohlcv, riskQuery(req.params.symbol, req.query)));

  app.post<{ Params: { symbol: string }; Body: { asOf?: string; window?: number; riskFree?: number; interval?: string } | undefined }>('/api/v1/risk/:symbol/assessments', {
    schema: {
      params: symbolParams,
      body: { type: 'object', properties: { asOf: QUERY_TEXT, window: { type: 'integer' }, riskFree: { type: 'number' }, interval: QUERY_TEXT }, additionalProperties: false },
      response: responses({ 200: riskAssessed(riskAnswer), 201: riskAssessed(riskAnswer) }, ['not_found', 'conflict'], { body: true }),
    },
  }, async (req, reply) => {
    const { asOf, window, riskFree, interval } = req.body ?? {};
    const q = riskQuery(req.params.symbol, { asOf, interval, window: window?.toString(), riskFree: riskFree?.toString() });
    const result = await platform.risk.assess(q, originOf(req, platform));
    return reply.code(result.recorded ? 201 : 200).send(result);
  });

  app.get<{ Params: { symbol: string }; Querystring: { asOf?: string; window?: string; days?: string; method?: string } }>('/api/v1/risk/:symbol/var-backtest', {
    schema: {
      params: symbolParams,
      querystring: { type: 'object', properties: { asOf: QUERY_TEXT, window: QUERY_TEXT, days: QUERY_TEXT, method: QUERY_TEXT }, additionalProperties: false },
      response: responses({ 200: varBacktestAnswer }, ['not_found']),
    },
  }, async (req) =>
    queryVarBacktest(ohlcv, {
      symbol: parseSymbol(req.params.symbol),
      asOf: parseAsOfDay(req.query.asOf, platform.clock.now()),
      window: parseWindow(req.query.window, '1d'),
      days: parseBacktestDays(req.query.days),
      method: parseVarMethod(req.query.method),
    }));
}

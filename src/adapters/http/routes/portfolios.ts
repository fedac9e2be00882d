/**
 * Portfolios over HTTP: defined, redefined and retired by commands (events carrying the caller's
 * actor), read from the ledger; their risk, VaR backtest, stress tests and optimisations; and the
 * efficient frontier of any set of symbols.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { originOf } from '../commandOrigin.js';
import { idParams, QUERY_TEXT, responses, symbolList, text } from '../schemas/common.js';
import {
  frontierAnswer,
  optimisationAnswer,
  portfolio,
  portfolioAssessed,
  portfolioDefined,
  portfolioRedefined,
  portfolioRetired,
  portfolioRisk,
  portfoliosAnswer,
  portfolioVarBacktest,
  stressAnswer,
} from '../schemas/portfolios.js';
import { parseBounds, parseCovariance, parseFrontierPoints, parseObjective, parseScenarioCount, parseShocks, parseSymbolList } from '../portfolioParams.js';
import { parseAsOfDay, parseBacktestDays, parseRiskFree, parseVarMethod, parseWindow } from '../riskParams.js';
import { WINDOWS } from '../../../domain/risk/definitions.js';

const definition = {
  type: 'object',
  required: ['name', 'holdings'],
  properties: { portfolioId: text(64), name: text(256), holdings: { type: 'object' } },
  additionalProperties: false,
} as const;
const id = idParams();
const windowQuery = { asOf: QUERY_TEXT, window: QUERY_TEXT, riskFree: QUERY_TEXT };

interface WindowQuery {
  asOf?: string;
  window?: string;
  riskFree?: string;
}

export default async function portfolioRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  const portfolios = platform.portfolios;
  const asOfOf = (raw: string | undefined) => parseAsOfDay(raw, platform.clock.now());
  const windowOf = (q: WindowQuery) => ({ asOf: asOfOf(q.asOf), window: parseWindow(q.window, '1d'), riskFree: parseRiskFree(q.riskFree) });

  app.post('/api/v1/portfolios', { schema: { body: definition, response: responses({ 200: portfolioDefined, 201: portfolioDefined }, ['not_found', 'conflict'], { body: true }) } }, async (req, reply) => {
    const result = await portfolios.define(req.body, originOf(req, platform));
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.get<{ Querystring: { includeRetired?: string } }>(
    '/api/v1/portfolios',
    { schema: { querystring: { type: 'object', properties: { includeRetired: { type: 'string', enum: ['true', 'false'] } }, additionalProperties: false }, response: responses({ 200: portfoliosAnswer }) } },
    async (req) => ({ portfolios: await portfolios.list(req.query.includeRetired === 'true') }),
  );

  app.get<{ Params: { id: string } }>('/api/v1/portfolios/:id', { schema: { params: id, response: responses({ 200: portfolio }, ['not_found']) } }, async (req) => portfolios.get(req.params.id));

  app.put<{ Params: { id: string } }>('/api/v1/portfolios/:id', { schema: { params: id, body: definition, response: responses({ 200: portfolioRedefined }, ['not_found', 'conflict'], { body: true }) } }, async (req) =>
    portfolios.redefine(req.params.id, req.body, originOf(req, platform)));

  app.delete<{ Params: { id: string }; Querystring: { reason?: string } }>(
    '/api/v1/portfolios/:id',
    { schema: { params: id, querystring: { type: 'object', properties: { reason: text(256) }, additionalProperties: false }, response: responses({ 200: portfolioRetired }, ['not_found', 'conflict']) } },
    async (req) => portfolios.retire(req.params.id, req.query.reason === undefined || req.query.reason === '' ? 'retired over the API' : req.query.reason, originOf(req, platform)),
  );

  app.get<{ Params: { id: string }; Querystring: WindowQuery }>(
    '/api/v1/portfolios/:id/risk',
    { schema: { params: id, querystring: { type: 'object', properties: windowQuery, additionalProperties: false }, response: responses({ 200: portfolioRisk }, ['not_found']) } },
    async (req) => portfolios.risk(req.params.id, windowOf(req.query)),
  );

  app.post<{ Params: { id: string }; Body: { asOf?: string; window?: number; riskFree?: number } | undefined }>(
    '/api/v1/portfolios/:id/assessments',
    { schema: { params: id, body: { type: 'object', properties: { asOf: QUERY_TEXT, window: { type: 'integer' }, riskFree: { type: 'number' } }, additionalProperties: false }, response: responses({ 200: portfolioAssessed, 201: portfolioAssessed }, ['not_found', 'conflict'], { body: true }) } },
    async (req, reply) => {
      const b = req.body ?? {};
      const result = await portfolios.assess(req.params.id, windowOf({ asOf: b.asOf, window: b.window?.toString(), riskFree: b.riskFree?.toString() }), originOf(req, platform));
      return reply.code(result.recorded ? 201 : 200).send(result);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { asOf?: string; window?: string; days?: string; method?: string } }>(
    '/api/v1/portfolios/:id/var-backtest',
    { schema: { params: id, querystring: { type: 'object', properties: { asOf: QUERY_TEXT, window: QUERY_TEXT, days: QUERY_TEXT, method: QUERY_TEXT }, additionalProperties: false }, response: responses({ 200: portfolioVarBacktest }, ['not_found']) } },
    async (req) =>
      portfolios.varBacktest(req.params.id, {
        asOf: asOfOf(req.query.asOf),
        window: parseWindow(req.query.window, '1d'),
        days: parseBacktestDays(req.query.days),
        method: parseVarMethod(req.query.method),
      }),
  );

  app.post<{ Params: { id: string }; Body: { asOf?: string; window?: number; count?: number; shocks?: unknown } | undefined }>(
    '/api/v1/portfolios/:id/stress',
    {
      schema: {
        params: id,
        body: { type: 'object', properties: { asOf: QUERY_TEXT, window: { type: 'integer' }, count: { type: 'integer' }, shocks: { type: 'object' } }, additionalProperties: false },
        response: responses({ 200: stressAnswer }, ['not_found'], { body: true }),
      },
    },
    async (req) => {
      const b = req.body ?? {};
      // Historical scenarios look for the worst days in all the data there is: the window defaults to its longest.
      return portfolios.stress(req.params.id, {
        asOf: asOfOf(b.asOf),
        window: b.window === undefined ? WINDOWS['1d'].max : parseWindow(b.window.toString(), '1d'),
        count: parseScenarioCount(b.count),
        shocks: parseShocks(b.shocks),
      });
    },
  );

  type OptimiseBody = { objective?: string; targetReturn?: number; targetVolatility?: number; asOf?: string; window?: number; covariance?: string; riskFree?: number; bounds?: unknown };
  const optimiseProperties = {
    objective: text(32),
    targetReturn: { type: 'number' },
    targetVolatility: { type: 'number' },
    asOf: QUERY_TEXT,
    window: { type: 'integer' },
    covariance: text(32),
    riskFree: { type: 'number' },
    bounds: { type: 'object' },
  } as const;
  const optimiseQuery = (b: OptimiseBody) => ({
    ...windowOf({ asOf: b.asOf, window: b.window?.toString(), riskFree: b.riskFree?.toString() }),
    covariance: parseCovariance(b.covariance),
    bounds: parseBounds(b.bounds),
  });

  app.post<{ Params: { id: string }; Body: OptimiseBody }>(
    '/api/v1/portfolios/:id/optimise',
    {
      schema: {
        params: id,
        body: { type: 'object', required: ['objective'], properties: optimiseProperties, additionalProperties: false },
        response: responses({ 201: optimisationAnswer }, ['not_found', 'conflict'], { body: true }),
      },
    },
    async (req, reply) => reply.code(201).send(await portfolios.optimise(req.params.id, optimiseQuery(req.body), parseObjective(req.body), originOf(req, platform))),
  );

  // A bare set of symbols, no portfolio defined: the same answer, recorded as PortfolioOptimised with no portfolio.
  app.post<{ Body: OptimiseBody & { symbols: string } }>(
    '/api/v1/portfolios/optimise',
    {
      schema: {
        body: { type: 'object', required: ['symbols', 'objective'], properties: { symbols: symbolList(4_096), ...optimiseProperties }, additionalProperties: false },
        response: responses({ 201: optimisationAnswer }, ['not_found', 'conflict'], { body: true }),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await portfolios.optimiseSymbols(parseSymbolList(req.body.symbols), optimiseQuery(req.body), parseObjective(req.body), originOf(req, platform))),
  );

  app.get<{ Querystring: WindowQuery & { symbols?: string; covariance?: string; points?: string } }>(
    '/api/v1/portfolios/frontier',
    {
      schema: {
        querystring: { type: 'object', properties: { ...windowQuery, symbols: symbolList(4_096), covariance: QUERY_TEXT, points: QUERY_TEXT }, additionalProperties: false },
        response: responses({ 200: frontierAnswer }, ['not_found']),
      },
    },
    async (req) =>
      portfolios.frontier(
        { ...windowOf(req.query), symbols: parseSymbolList(req.query.symbols), covariance: parseCovariance(req.query.covariance), bounds: {} },
        parseFrontierPoints(req.query.points),
      ),
  );
}

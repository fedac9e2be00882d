/** Compliance: replay as of T, and the corrections recorded with their actors. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { InvalidInputError } from '../../../domain/errors.js';
import { parseInstant, parseSymbol } from '../params.js';
import { QUERY_TEXT, responses } from '../schemas/common.js';
import { correctionsAnswer, replayAnswer } from '../schemas/compliance.js';

export default async function complianceRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.get<{ Querystring: { symbol?: string; asOf?: string; day?: string } }>('/api/v1/compliance/replay', {
    schema: { querystring: { type: 'object', properties: { symbol: QUERY_TEXT, asOf: QUERY_TEXT, day: QUERY_TEXT } }, response: responses({ 200: replayAnswer }, ['not_found']) },
  }, async (req) => {
    if (req.query.symbol === undefined) throw new InvalidInputError('symbol: required, for example ?symbol=BTC-USDT&asOf=2024-01-01T12:00:00Z');
    const asOf = parseInstant(req.query.asOf, 'asOf');
    if (asOf === undefined) throw new InvalidInputError('asOf: required (epoch ms or ISO-8601)');
    return platform.queries.replay(parseSymbol(req.query.symbol), asOf, req.query.day);
  });

  app.get<{ Querystring: { symbol?: string; from?: string; to?: string } }>('/api/v1/compliance/corrections', {
    schema: { querystring: { type: 'object', properties: { symbol: QUERY_TEXT, from: QUERY_TEXT, to: QUERY_TEXT } }, response: responses({ 200: correctionsAnswer }) },
  }, async (req) => {
    if (req.query.symbol === undefined) throw new InvalidInputError('symbol: required, for example ?symbol=BTC-USDT&from=2024-01-01&to=2024-02-01');
    const symbol = parseSymbol(req.query.symbol);
    const from = parseInstant(req.query.from, 'from') ?? 0;
    const to = parseInstant(req.query.to, 'to') ?? Number.MAX_SAFE_INTEGER;
    if (from >= to) throw new InvalidInputError(`from (${new Date(from).toISOString()}) must be before to`);
    return { symbol, from, to, corrections: await platform.queries.corrections(symbol, from, to) };
  });
}

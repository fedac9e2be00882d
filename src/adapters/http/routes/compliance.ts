/** Compliance: replay as of T. */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { InvalidInputError } from '../../../domain/errors.js';
import { parseInstant, parseSymbol, QUERY_TEXT } from '../params.js';

export default async function complianceRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.get<{ Querystring: { symbol?: string; asOf?: string; day?: string } }>('/api/v1/compliance/replay', {
    schema: { querystring: { type: 'object', properties: { symbol: QUERY_TEXT, asOf: QUERY_TEXT, day: QUERY_TEXT } } },
  }, async (req) => {
    if (req.query.symbol === undefined) throw new InvalidInputError('symbol: required, for example ?symbol=BTC-USDT&asOf=2024-01-01T12:00:00Z');
    const asOf = parseInstant(req.query.asOf, 'asOf');
    if (asOf === undefined) throw new InvalidInputError('asOf: required (epoch ms or ISO-8601)');
    return platform.queries.replay(parseSymbol(req.query.symbol), asOf, req.query.day);
  });
}

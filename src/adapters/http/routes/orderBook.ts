/**
 * GET /api/v1/orderbook/{symbol}?exchange&depth&at: the symbol's books, each exchange's and the
 * consolidated one, with their views (best bid and ask, spread, depth bands, imbalance). Without
 * `at`, the live books; with `at` (an instant), the books as they stood then, replayed from the
 * lake and checked against the ledger's digests: a lake file that fails its digest is a 409 naming it.
 */
import type { FastifyInstance } from 'fastify';
import { isExchangeId } from '../../../domain/symbol.js';
import { InvalidInputError } from '../../../domain/errors.js';
import { describeValue } from '../../../domain/validation.js';
import type { HttpPlatform } from '../httpPlatform.js';
import { orderBookAnswerSchema } from '../schemas/orderBook.js';
import { parseInstant, parseInteger, parseSymbol } from '../params.js';
import { QUERY_TEXT, responses, symbolParams } from '../schemas/common.js';

export const MAX_BOOK_DEPTH = 1_000;
const DEFAULT_DEPTH = 20;

type Query = { exchange?: string; depth?: string; at?: string };

const parseExchange = (raw: string | undefined): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (!isExchangeId(raw)) throw new InvalidInputError(`exchange ${describeValue(raw)}: expected a lower-case exchange id such as okx or kraken`);
  return raw;
};

export default async function orderBookRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  app.get<{ Params: { symbol: string }; Querystring: Query }>(
    '/api/v1/orderbook/:symbol',
    {
      schema: {
        params: symbolParams,
        querystring: { type: 'object', properties: { exchange: QUERY_TEXT, depth: QUERY_TEXT, at: QUERY_TEXT }, additionalProperties: false },
        response: responses({ 200: orderBookAnswerSchema }, ['conflict']),
      },
    },
    async (req) => {
      const symbol = parseSymbol(req.params.symbol);
      const exchange = parseExchange(req.query.exchange);
      const depth = parseInteger(req.query.depth, 'depth (levels per side)', { min: 1, max: MAX_BOOK_DEPTH }, DEFAULT_DEPTH)!;
      const at = parseInstant(req.query.at, 'at');
      if (at === undefined) return { ...platform.orderBooks.live(symbol, exchange, depth), source: 'live', at: null };
      return { ...(await platform.orderBooks.replay(symbol, exchange, depth, at)), source: 'lake' };
    },
  );
}

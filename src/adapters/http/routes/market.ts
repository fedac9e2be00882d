/** Market queries: symbols, realtime, merged OHLCV. */
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../../app/platform.js';
import { InvalidInputError } from '../../../domain/errors.js';
import type { CandleView } from '../../../domain/folds/candle.js';
import { INTERVAL_MS, isInterval, type Interval } from '../../../domain/time.js';
import { MAX_CANDLES } from '../../../read-models/ohlcv.js';
import { iso, parseInstant, parseSymbol } from '../params.js';

/**
 * Candles serialised (and UTF-8 encoded) once per candle array: answers served from the OHLCV
 * cache share their array, so a repeated query costs the small envelope only, not thousands of
 * candles.
 */
const serialised = new WeakMap<readonly CandleView[], Buffer>();
const candlesJson = (candles: readonly CandleView[]): Buffer => {
  let json = serialised.get(candles);
  if (json === undefined) {
    json = Buffer.from(JSON.stringify(candles));
    serialised.set(candles, json);
  }
  return json;
};
const CANDLES_FIELD = Buffer.from(',"candles":');
const CLOSE = Buffer.from('}');

const DEFAULT_SPAN: Record<Interval, number> = { '1m': 86_400_000, '5m': 86_400_000, '1h': 30 * 86_400_000, '1d': 365 * 86_400_000 };

export default async function marketRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;

  app.get('/api/v1/symbols', async () => ({ symbols: await platform.queries.symbols() }));

  app.get<{ Params: { symbol: string } }>('/api/v1/realtime/:symbol', {
    schema: { params: { type: 'object', properties: { symbol: { type: 'string', maxLength: 41 } }, required: ['symbol'] } },
  }, async (req) => platform.queries.realtime(parseSymbol(req.params.symbol)));

  app.get<{ Params: { symbol: string }; Querystring: { interval?: string; from?: string; to?: string; exchange?: string } }>('/api/v1/ohlcv/:symbol', {
    schema: {
      params: { type: 'object', properties: { symbol: { type: 'string', maxLength: 41 } }, required: ['symbol'] },
      querystring: {
        type: 'object',
        properties: { interval: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, exchange: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } },
        additionalProperties: false,
      },
    },
  }, async (req, reply) => {
    const symbol = parseSymbol(req.params.symbol);
    const interval = req.query.interval ?? '1m';
    if (!isInterval(interval)) throw new InvalidInputError(`interval: expected one of 1m, 5m, 1h, 1d, got "${interval}"`);
    const to = parseInstant(req.query.to, 'to') ?? platform.clock.now();
    const from = parseInstant(req.query.from, 'from') ?? to - DEFAULT_SPAN[interval];
    if (from >= to) throw new InvalidInputError(`from (${iso(from)}) must be before to (${iso(to)})`);
    const count = Math.ceil((to - from) / INTERVAL_MS[interval]);
    if (count > MAX_CANDLES) {
      throw new InvalidInputError(`that range holds ${count} ${interval} candles; at most ${MAX_CANDLES} per request: narrow from/to or use a larger interval`);
    }
    const { candles, ...answer } = await platform.queries.ohlcv({ symbol, interval, from, to, ...(req.query.exchange === undefined ? {} : { exchange: req.query.exchange }) });
    const envelope = JSON.stringify({
      ...answer,
      fromIso: iso(answer.from),
      toIso: iso(answer.to),
      sources: answer.sources.map((s) => ({ ...s, fromIso: iso(s.from), toIso: iso(s.to) })),
      gaps: answer.gaps.map((g) => ({ ...g, fromIso: iso(g.from), toIso: iso(g.to) })),
    });
    void reply.type('application/json; charset=utf-8');
    return Buffer.concat([Buffer.from(envelope.slice(0, -1)), CANDLES_FIELD, candlesJson(candles), CLOSE]);
  });
}

/** Market queries: symbols, realtime, merged OHLCV. */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { InvalidInputError } from '../../../domain/errors.js';
import type { CandleView } from '../../../domain/folds/candle.js';
import { INTERVAL_MS, INTERVALS, isInterval, MINUTE_MS, type Interval } from '../../../domain/time.js';
import { describeValue } from '../../../domain/validation.js';
import { MAX_CANDLES } from '../../../read-models/ohlcv.js';
import { acceptsGzip } from '../acceptsGzip.js';
import { iso, parseInstant, parseSymbol } from '../params.js';
import { QUERY_TEXT, responses, symbolParams } from '../schemas/common.js';
import { ohlcvAnswer, realtimeAnswer, symbolsAnswer } from '../schemas/market.js';

const gzipAsync = promisify(gzip);

/**
 * Answers serialised (and UTF-8 encoded) once per candle array and envelope: answers served from
 * the OHLCV cache share their candle array, so a repeated query is sent from the bytes already
 * made, and a query whose envelope differs (another `to`, say) costs its small envelope only, not
 * thousands of candles once more. The gzip form of a body is likewise made once, off the event
 * loop, when a client that takes gzip first asks for it: a day of 1m candles is about 200 KB
 * as JSON and a seventh of that compressed.
 */
interface Serialised {
  readonly candles: Buffer;
  envelope: string;
  body: Buffer;
  gzipped: Promise<Buffer> | undefined;
}
const serialised = new WeakMap<readonly CandleView[], Serialised>();
const CANDLES_FIELD = Buffer.from(',"candles":');
const CLOSE = Buffer.from('}');
const bodyOf = (envelope: string, candles: readonly CandleView[]): Serialised => {
  let s = serialised.get(candles);
  if (s === undefined) {
    s = { candles: Buffer.from(JSON.stringify(candles)), envelope: '', body: Buffer.alloc(0), gzipped: undefined };
    serialised.set(candles, s);
  }
  if (s.envelope !== envelope) {
    s.body = Buffer.concat([Buffer.from(envelope.slice(0, -1)), CANDLES_FIELD, s.candles, CLOSE]);
    s.envelope = envelope;
    s.gzipped = undefined;
  }
  return s;
};

const gzipOf = (s: Serialised): Promise<Buffer> => {
  if (s.gzipped === undefined) {
    const made = gzipAsync(s.body);
    s.gzipped = made;
    // A failed compression is not kept: the next request tries again.
    made.catch(() => {
      if (s.gzipped === made) s.gzipped = undefined;
    });
  }
  return s.gzipped;
};

/** A realtime answer is shared by every caller between two live commits: serialised once. */
const realtimeBodies = new WeakMap<object, string>();
const realtimeJson = (answer: object): string => {
  let json = realtimeBodies.get(answer);
  if (json === undefined) {
    json = JSON.stringify(answer);
    realtimeBodies.set(answer, json);
  }
  return json;
};

const DEFAULT_SPAN: Record<Interval, number> = { '1m': 86_400_000, '5m': 86_400_000, '1h': 30 * 86_400_000, '1d': 365 * 86_400_000 };

export default async function marketRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.get('/api/v1/symbols', { schema: { response: responses({ 200: symbolsAnswer }) } }, async () => ({ symbols: await platform.queries.symbols() }));

  app.get<{ Params: { symbol: string } }>('/api/v1/realtime/:symbol', {
    schema: { params: symbolParams, response: responses({ 200: realtimeAnswer }, ['not_found']) },
  }, async (req, reply) => {
    const answer = await platform.queries.realtime(parseSymbol(req.params.symbol));
    void reply.type('application/json; charset=utf-8');
    return realtimeJson(answer);
  });

  app.get<{ Params: { symbol: string }; Querystring: { interval?: string; from?: string; to?: string; exchange?: string } }>('/api/v1/ohlcv/:symbol', {
    schema: {
      params: symbolParams,
      querystring: {
        type: 'object',
        properties: { interval: QUERY_TEXT, from: QUERY_TEXT, to: QUERY_TEXT, exchange: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } },
        additionalProperties: false,
      },
      response: responses({ 200: ohlcvAnswer }, ['not_found']),
    },
  }, async (req, reply) => {
    const symbol = parseSymbol(req.params.symbol);
    const interval = req.query.interval ?? '1m';
    if (!isInterval(interval)) throw new InvalidInputError(`interval: expected one of ${INTERVALS.join(', ')}, got ${describeValue(interval)}`);
    // By default up to the end of the current minute: the same candles as up to now (a candle
    // edge is a whole minute), and the same answer for every caller within the minute.
    const to = parseInstant(req.query.to, 'to') ?? Math.ceil(platform.clock.now() / MINUTE_MS) * MINUTE_MS;
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
    void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
    const s = bodyOf(envelope, candles);
    if (!acceptsGzip(req.headers['accept-encoding'])) return s.body;
    void reply.header('content-encoding', 'gzip');
    return gzipOf(s);
  });
}

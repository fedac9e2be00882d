/** Market queries: symbols, realtime, merged OHLCV. */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import type { CandleView } from '../../../domain/folds/candle.js';
import { acceptsGzip } from '../acceptsGzip.js';
import { candleRangeQuerystring, parseCandleRange, withIsoSpans, type CandleRangeQuerystring } from '../candleRange.js';
import { parseSymbol } from '../params.js';
import { responses, symbolParams } from '../schemas/common.js';
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

  app.get<{ Params: { symbol: string }; Querystring: CandleRangeQuerystring }>('/api/v1/ohlcv/:symbol', {
    schema: { params: symbolParams, querystring: candleRangeQuerystring, response: responses({ 200: ohlcvAnswer }, ['not_found']) },
  }, async (req, reply) => {
    const { candles, ...answer } = await platform.queries.ohlcv(parseCandleRange(parseSymbol(req.params.symbol), req.query, platform.clock));
    const envelope = JSON.stringify(withIsoSpans(answer));
    void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
    const s = bodyOf(envelope, candles);
    if (!acceptsGzip(req.headers['accept-encoding'])) return s.body;
    void reply.header('content-encoding', 'gzip');
    return gzipOf(s);
  });
}

/** The feature store: a symbol's features per bar (docs/features.md). */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { InvalidInputError } from '../../../domain/errors.js';
import { FEATURE_INTERVALS, type FeatureInterval } from '../../../domain/features/definitions.js';
import { INTERVAL_MS } from '../../../domain/time.js';
import { describeValue } from '../../../domain/validation.js';
import { MAX_FEATURE_BARS } from '../../../read-models/features.js';
import { iso, parseInstant, parseSymbol, QUERY_TEXT } from '../params.js';

/** Without `from`: this many bars before `to`. */
const DEFAULT_BARS = 720;

const parseFeatureInterval = (raw: string | undefined): FeatureInterval => {
  const interval = raw ?? '1h';
  if (!(FEATURE_INTERVALS as readonly string[]).includes(interval)) {
    throw new InvalidInputError(`interval: expected one of ${FEATURE_INTERVALS.join(', ')}, got ${describeValue(interval)}`);
  }
  return interval as FeatureInterval;
};

export default async function featureRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.get<{ Params: { symbol: string }; Querystring: { interval?: string; from?: string; to?: string } }>('/api/v1/features/:symbol', {
    schema: {
      params: { type: 'object', properties: { symbol: { type: 'string', maxLength: 41 } }, required: ['symbol'] },
      querystring: { type: 'object', properties: { interval: QUERY_TEXT, from: QUERY_TEXT, to: QUERY_TEXT }, additionalProperties: false },
    },
  }, async (req) => {
    const symbol = parseSymbol(req.params.symbol);
    const interval = parseFeatureInterval(req.query.interval);
    const size = INTERVAL_MS[interval];
    // By default through the current bar (its features use what is known of it so far).
    const to = parseInstant(req.query.to, 'to') ?? Math.ceil((platform.clock.now() + 1) / size) * size;
    const from = parseInstant(req.query.from, 'from') ?? to - DEFAULT_BARS * size;
    if (from >= to) throw new InvalidInputError(`from (${iso(from)}) must be before to (${iso(to)})`);
    const count = Math.ceil((to - from) / size);
    if (count > MAX_FEATURE_BARS) {
      throw new InvalidInputError(`that range holds ${count} ${interval} bars; at most ${MAX_FEATURE_BARS} per request: narrow from/to`);
    }
    const answer = await platform.queries.features({ symbol, interval, from, to });
    return { ...answer, fromIso: iso(answer.from), toIso: iso(answer.to) };
  });
}

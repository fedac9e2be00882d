/** The feature store: a symbol's features per bar, the autocorrelation of its returns and their weekday × hour profile (docs/features.md). */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { InvalidInputError } from '../../../domain/errors.js';
import { FEATURE_INTERVALS, type FeatureInterval } from '../../../domain/features/definitions.js';
import { INTERVAL_MS } from '../../../domain/time.js';
import { describeValue } from '../../../domain/validation.js';
import { MAX_FEATURE_BARS, type FeaturesQuery } from '../../../read-models/features.js';
import { queryAutocorrelation, querySeasonality } from '../../../read-models/featureProfiles.js';
import { iso, parseInstant, parseSymbol } from '../params.js';
import { QUERY_TEXT, responses, symbolParams, timeRangeQuery } from '../schemas/common.js';
import { autocorrelationAnswer, featuresAnswer, seasonalityAnswer } from '../schemas/features.js';

/** Without `from`: this many bars before `to`. */
const DEFAULT_BARS = 720;

const parseFeatureInterval = (raw: string | undefined): FeatureInterval => {
  const interval = raw ?? '1h';
  if (!(FEATURE_INTERVALS as readonly string[]).includes(interval)) {
    throw new InvalidInputError(`interval: expected one of ${FEATURE_INTERVALS.join(', ')}, got ${describeValue(interval)}`);
  }
  return interval as FeatureInterval;
};

const rangeQuery = { type: 'object', properties: { interval: QUERY_TEXT, ...timeRangeQuery }, additionalProperties: false } as const;

interface RangeRequest {
  Params: { symbol: string };
  Querystring: { interval?: string; from?: string; to?: string };
}

export default async function featureRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  const features = platform.queries.features;

  const featuresQuery = (params: RangeRequest['Params'], query: RangeRequest['Querystring']): FeaturesQuery => {
    const symbol = parseSymbol(params.symbol);
    const interval = parseFeatureInterval(query.interval);
    const size = INTERVAL_MS[interval];
    // By default through the current bar (its features use what is known of it so far).
    const to = parseInstant(query.to, 'to') ?? Math.ceil((platform.clock.now() + 1) / size) * size;
    const from = parseInstant(query.from, 'from') ?? to - DEFAULT_BARS * size;
    if (from >= to) throw new InvalidInputError(`from (${iso(from)}) must be before to (${iso(to)})`);
    const count = Math.ceil((to - from) / size);
    if (count > MAX_FEATURE_BARS) {
      throw new InvalidInputError(`that range holds ${count} ${interval} bars; at most ${MAX_FEATURE_BARS} per request: narrow from/to`);
    }
    return { symbol, interval, from, to };
  };
  const withIso = <A extends { from: number; to: number }>(a: A) => ({ ...a, fromIso: iso(a.from), toIso: iso(a.to) });

  app.get<RangeRequest>('/api/v1/features/:symbol', { schema: { params: symbolParams, querystring: rangeQuery, response: responses({ 200: featuresAnswer }, ['not_found']) } }, async (req) =>
    withIso(await features(featuresQuery(req.params, req.query))));

  app.get<RangeRequest>('/api/v1/features/:symbol/autocorrelation', { schema: { params: symbolParams, querystring: rangeQuery, response: responses({ 200: autocorrelationAnswer }, ['not_found']) } }, async (req) =>
    withIso(await queryAutocorrelation(features, featuresQuery(req.params, req.query))));

  app.get<{ Params: { symbol: string }; Querystring: { from?: string; to?: string } }>('/api/v1/features/:symbol/seasonality', {
    schema: { params: symbolParams, querystring: { type: 'object', properties: timeRangeQuery, additionalProperties: false }, response: responses({ 200: seasonalityAnswer }, ['not_found']) },
  }, async (req) => {
    const { symbol, from, to } = featuresQuery(req.params, { ...req.query, interval: '1h' });
    return withIso(await querySeasonality(features, { symbol, from, to }));
  });
}

/**
 * Predictions (docs/models.md): POST answers a forecast now from the model's champion (or the
 * model named), made at the latest complete bar and recorded as PredictionMade (201); GET lists
 * them (of a symbol, a model, or every symbol; the newest `limit`) with their scores, which
 * PredictionScored records once the horizon has passed.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { originOf } from '../commandOrigin.js';
import { InvalidInputError } from '../../../domain/errors.js';
import { iso, parseInstant, parseInteger, parseSymbol } from '../params.js';
import { QUERY_TEXT, responses, text } from '../schemas/common.js';
import { modelTargetProperties, predictionAnswer, predictionMade, predictionsList } from '../schemas/models.js';
import { MAX_PREDICTIONS } from '../../../read-models/models.js';

/** Without `from`: this long before `to`. */
const DEFAULT_SPAN_MS = 30 * 86_400_000;

export default async function predictionRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post<{ Body: unknown }>('/api/v1/predictions', {
    schema: {
      body: {
        type: 'object',
        properties: {
          ...modelTargetProperties,
          model: text(100),
        },
        required: ['symbol', 'horizon'],
        additionalProperties: false,
      },
      response: responses({ 201: predictionMade }, ['not_found', 'conflict'], { body: true }),
    },
  }, async (req, reply) => reply.code(201).send(await platform.models.predict(req.body, originOf(req, platform))));

  app.get<{ Querystring: { symbol?: string; model?: string; from?: string; to?: string; limit?: string } }>('/api/v1/predictions', {
    schema: { querystring: { type: 'object', properties: { symbol: QUERY_TEXT, model: text(100), from: QUERY_TEXT, to: QUERY_TEXT, limit: QUERY_TEXT }, additionalProperties: false }, response: responses({ 200: predictionsList }) },
  }, async (req) => {
    const limit = parseInteger(req.query.limit, 'limit', { min: 1, max: MAX_PREDICTIONS });
    const to = parseInstant(req.query.to, 'to') ?? platform.clock.now() + 1;
    const from = parseInstant(req.query.from, 'from') ?? to - DEFAULT_SPAN_MS;
    if (from >= to) throw new InvalidInputError(`from (${iso(from)}) must be before to (${iso(to)})`);
    return platform.models.predictions({
      ...(req.query.symbol === undefined ? {} : { symbol: parseSymbol(req.query.symbol) }),
      ...(req.query.model === undefined ? {} : { modelId: req.query.model }),
      from,
      to,
      ...(limit === undefined ? {} : { limit }),
    });
  });

  app.get<{ Params: { id: string } }>('/api/v1/predictions/:id', {
    schema: { params: { type: 'object', properties: { id: text(64) }, required: ['id'] }, response: responses({ 200: predictionAnswer }, ['not_found']) },
  }, async (req) => platform.models.prediction(req.params.id));
}

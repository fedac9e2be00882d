/**
 * The model registry (docs/models.md): models with their versions and aliases, one model's
 * training record, its live track record; trainings through the job queue (202 with the training's
 * id, then its status and progress), and aliases (promotion: `champion`).
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { originOf } from '../commandOrigin.js';
import { parseInteger, parseSymbol } from '../params.js';
import { QUERY_TEXT, responses, text } from '../schemas/common.js';
import { aliasSet, modelDetail, modelTargetProperties, modelsList, trackRecord, trainingAccepted, trainingStatus } from '../schemas/models.js';

const idParams = { type: 'object', properties: { id: text(100) }, required: ['id'] } as const;
const INSTANT = { anyOf: [{ type: 'string', maxLength: 40 }, { type: 'integer' }] } as const;

export default async function modelRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { models } = opts.platform;

  app.get<{ Querystring: { symbol?: string } }>('/api/v1/models', {
    schema: { querystring: { type: 'object', properties: { symbol: QUERY_TEXT }, additionalProperties: false }, response: responses({ 200: modelsList }) },
  }, async (req) => ({ models: await models.list(req.query.symbol === undefined ? undefined : parseSymbol(req.query.symbol)) }));

  // `model=true` adds each version's serialised trees (what its predictions are served from).
  app.get<{ Params: { id: string }; Querystring: { model?: boolean } }>('/api/v1/models/:id', {
    schema: { params: idParams, querystring: { type: 'object', properties: { model: { type: 'boolean' } }, additionalProperties: false }, response: responses({ 200: modelDetail }, ['not_found']) },
  }, async (req) => models.get(req.params.id, req.query.model === true));

  app.get<{ Params: { id: string }; Querystring: { version?: string } }>('/api/v1/models/:id/track-record', {
    schema: { params: idParams, querystring: { type: 'object', properties: { version: QUERY_TEXT }, additionalProperties: false }, response: responses({ 200: trackRecord }, ['not_found']) },
  }, async (req) => models.trackRecord(req.params.id, parseInteger(req.query.version, 'version', { min: 1, max: 1_000_000 })));

  app.post<{ Body: unknown }>('/api/v1/models/trainings', {
    schema: {
      body: {
        type: 'object',
        properties: {
          ...modelTargetProperties,
          // An anomaly model is trained too: it is not asked for predictions, it scores live bars for the anomaly-model alert rule.
          kind: { type: 'string', enum: ['return-regression', 'trend-classification', 'anomaly'] },
          interval: { type: 'string', enum: ['1h', '1d'] },
          from: INSTANT,
          to: INSTANT,
          seed: { type: 'integer' },
          features: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 64 },
          grid: { type: 'object', additionalProperties: { type: 'array', items: { type: 'number' }, maxItems: 16 } },
          folds: { type: 'integer', minimum: 2, maximum: 20 },
          initialTrainFraction: { type: 'number' },
          trendThreshold: { type: 'number' },
          engine: { type: 'string', maxLength: 32 },
          alias: { type: 'string', maxLength: 32 },
        },
        required: ['symbol', 'horizon'],
        additionalProperties: false,
      },
      response: responses({ 202: trainingAccepted }, ['not_found', 'conflict'], { body: true }),
    },
  }, async (req, reply) => {
    const accepted = await models.train(req.body, originOf(req, opts.platform));
    return reply.code(202).header('location', `/api/v1/models/trainings/${accepted.trainingId}`).send({ ...accepted, status: 'pending' });
  });

  app.get<{ Params: { id: string } }>('/api/v1/models/trainings/:id', { schema: { params: idParams, response: responses({ 200: trainingStatus }, ['not_found']) } }, async (req) => models.training(req.params.id));

  app.post<{ Body: { modelId: string; alias: string; version: number | null; reason?: string } }>('/api/v1/models/aliases', {
    schema: {
      body: {
        type: 'object',
        properties: {
          modelId: text(100),
          alias: { type: 'string', maxLength: 32 },
          version: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
          reason: { type: 'string', maxLength: 500 },
        },
        required: ['modelId', 'alias', 'version'],
        additionalProperties: false,
      },
      response: responses({ 200: aliasSet }, ['not_found', 'conflict'], { body: true }),
    },
  }, async (req) => models.setAlias(req.body, originOf(req, opts.platform)));
}

/**
 * Alert rules (commands), alerts (the read model) and webhook subscriptions over HTTP.
 * Writes are ledger events carrying the caller's actor; reads come from the alert book.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { NotFoundError } from '../../../domain/errors.js';
import type { Severity } from '../../../domain/events/signals.js';
import type { SubscriptionRecord } from '../../../domain/ports.js';
import { originOf } from '../commandOrigin.js';
import { parseInstant, parseSymbol } from '../params.js';
import { WEBHOOK_QUEUE } from '../../../domain/names.js';

const MAX_PAGE = 500;
const severityEnum = ['info', 'warning', 'critical'];

/** A subscription as the API shows it: never the secret. */
const publicSubscription = (s: SubscriptionRecord): Omit<SubscriptionRecord, 'secret'> => {
  const { secret: _secret, ...rest } = s;
  return rest;
};

export default async function alertRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;

  app.post(
    '/api/v1/alert-rules',
    {
      schema: {
        body: {
          type: 'object',
          required: ['detector', 'symbols', 'severity'],
          properties: {
            ruleId: { type: 'string' },
            detector: { type: 'string' },
            // A list of symbols or "*"; checked by the command (Fastify's array coercion would turn "*" into ["*"]).
            symbols: {},
            params: { type: 'object' },
            severity: { type: 'string', enum: severityEnum },
          },
        },
      },
    },
    async (req, reply) => {
      const result = await platform.commands.registerAlertRule(req.body, originOf(req, platform));
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  app.get('/api/v1/alert-rules', async () => ({ rules: platform.alerts.rules() }));

  app.delete<{ Params: { id: string }; Querystring: { reason?: string } }>(
    '/api/v1/alert-rules/:id',
    { schema: { params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } } }, querystring: { type: 'object', properties: { reason: { type: 'string' } } } } },
    async (req) => platform.commands.retireAlertRule(req.params.id, req.query.reason ?? 'retired over the API', originOf(req, platform)),
  );

  app.get<{ Querystring: { symbol?: string; from?: string; to?: string; severity?: Severity; rule?: string; limit?: number; before?: number } }>(
    '/api/v1/alerts',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            symbol: { type: 'string' },
            from: { type: 'string' },
            to: { type: 'string' },
            severity: { type: 'string', enum: severityEnum },
            rule: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100 },
            before: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const page = platform.alerts.alerts({
        ...(q.symbol === undefined ? {} : { symbol: parseSymbol(q.symbol) }),
        ...(q.severity === undefined ? {} : { severity: q.severity }),
        ...(q.rule === undefined ? {} : { rule: q.rule }),
        ...(parseInstant(q.from, 'from') === undefined ? {} : { from: parseInstant(q.from, 'from')! }),
        ...(parseInstant(q.to, 'to') === undefined ? {} : { to: parseInstant(q.to, 'to')! }),
        ...(q.before === undefined ? {} : { before: q.before }),
        limit: q.limit ?? 100,
      });
      return { ...page, throughPosition: platform.alertFeed.checkpoint() };
    },
  );

  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', async (req) => {
    const a = platform.alerts.alert(req.params.id);
    if (a === undefined) throw new NotFoundError(`no alert ${req.params.id}`);
    return a;
  });

  app.post(
    '/api/v1/subscriptions',
    {
      schema: {
        body: {
          type: 'object',
          required: ['url', 'secret'],
          properties: {
            url: { type: 'string' },
            secret: { type: 'string' },
            filter: {
              type: 'object',
              additionalProperties: false,
              properties: {
                symbols: { type: 'array', items: { type: 'string' } },
                severities: { type: 'array', items: { type: 'string', enum: severityEnum } },
                rules: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    async (req, reply) => reply.code(201).send(await platform.commands.createAlertSubscription(req.body, originOf(req, platform))),
  );

  app.get('/api/v1/subscriptions', async () => ({ subscriptions: platform.alerts.subscriptions().map(publicSubscription) }));

  app.get<{ Params: { id: string } }>('/api/v1/subscriptions/:id/deliveries', async (req) => {
    const sub = platform.alerts.subscription(req.params.id);
    if (sub === undefined) throw new NotFoundError(`no subscription ${req.params.id}`);
    const deliveries = platform.alerts.deliveries(req.params.id);
    return {
      subscription: publicSubscription(sub),
      deliveries,
      deadLetters: deliveries.filter((d) => d.outcome === 'dead-lettered'),
      queue: await platform.jobs.counts(WEBHOOK_QUEUE),
    };
  });
}

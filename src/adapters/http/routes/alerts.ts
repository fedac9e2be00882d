/**
 * Alert rules (commands), alerts (the read model) and webhook subscriptions over HTTP.
 * Writes are ledger events carrying the caller's actor; reads come from the alert book.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { NotFoundError } from '../../../domain/errors.js';
import { isBookDetector } from '../../../domain/detectors/catalogue.js';
import type { Severity } from '../../../domain/events/signals.js';
import type { SubscriptionRecord } from '../../../domain/ports.js';
import { describeValue } from '../../../domain/validation.js';
import { originOf } from '../commandOrigin.js';
import { parseInstant, parseInteger, parseSymbol, requireKnownSymbols, wellFormedSymbols } from '../params.js';
import { idParams, QUERY_TEXT, responses, text } from '../schemas/common.js';
import { alert, alertsPage, deliveriesAnswer, ruleRegistered, ruleRetired, rulesAnswer, subscriptionCreated, subscriptionsAnswer } from '../schemas/alerts.js';
import { WEBHOOK_QUEUE } from '../../../domain/names.js';

const MAX_PAGE = 500;
const DEFAULT_PAGE = 100;
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
            ruleId: text(256),
            detector: text(64),
            // A list of symbols or "*"; checked by the command (Fastify's array coercion would turn "*" into ["*"]).
            symbols: {},
            params: { type: 'object' },
            severity: { type: 'string', enum: severityEnum },
          },
        },
        response: responses({ 200: ruleRegistered, 201: ruleRegistered }, ['not_found', 'conflict'], { body: true }),
      },
    },
    async (req, reply) => {
      const body = req.body as { symbols?: unknown; detector?: unknown };
      const symbols = wellFormedSymbols(body.symbols);
      // A book detector watches books: a symbol with books and no trades is a symbol it can watch.
      if (typeof body.detector === 'string' && isBookDetector(body.detector)) {
        await requireKnownSymbols(symbols, async () => [...(await platform.queries.symbols()), ...(await platform.orderBooks.symbols())], 'trades or books');
      } else {
        await requireKnownSymbols(symbols, () => platform.queries.symbols());
      }
      const result = await platform.commands.registerAlertRule(req.body, originOf(req, platform));
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  app.get('/api/v1/alert-rules', { schema: { response: responses({ 200: rulesAnswer }) } }, async () => ({ rules: platform.alerts.rules() }));

  app.delete<{ Params: { id: string }; Querystring: { reason?: string } }>(
    '/api/v1/alert-rules/:id',
    { schema: { params: idParams(), querystring: { type: 'object', properties: { reason: text(256) } }, response: responses({ 200: ruleRetired }, ['not_found', 'conflict']) } },
    async (req) => platform.commands.retireAlertRule(req.params.id, req.query.reason === undefined || req.query.reason === '' ? 'retired over the API' : req.query.reason, originOf(req, platform)),
  );

  app.get<{ Querystring: { symbol?: string; from?: string; to?: string; severity?: Severity; rule?: string; limit?: string; before?: string } }>(
    '/api/v1/alerts',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            symbol: QUERY_TEXT,
            from: QUERY_TEXT,
            to: QUERY_TEXT,
            severity: { type: 'string', enum: severityEnum },
            rule: QUERY_TEXT,
            limit: QUERY_TEXT,
            before: QUERY_TEXT,
          },
        },
        response: responses({ 200: alertsPage }),
      },
    },
    async (req) => {
      const q = req.query;
      const from = parseInstant(q.from, 'from');
      const to = parseInstant(q.to, 'to');
      const before = parseInteger(q.before, 'before (a ledger position)', { min: 1, max: Number.MAX_SAFE_INTEGER });
      const page = platform.alerts.alerts({
        ...(q.symbol === undefined ? {} : { symbol: parseSymbol(q.symbol) }),
        ...(q.severity === undefined ? {} : { severity: q.severity }),
        ...(q.rule === undefined ? {} : { rule: q.rule }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(before === undefined ? {} : { before }),
        limit: parseInteger(q.limit, 'limit', { min: 1, max: MAX_PAGE }, DEFAULT_PAGE)!,
      });
      return { ...page, throughPosition: platform.alertFeed.stats().checkpoint };
    },
  );

  app.get<{ Params: { id: string } }>('/api/v1/alerts/:id', { schema: { params: idParams(100), response: responses({ 200: alert }, ['not_found']) } }, async (req) => {
    const a = platform.alerts.alert(req.params.id);
    if (a === undefined) throw new NotFoundError(`no alert ${describeValue(req.params.id)}`);
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
            url: text(2048),
            secret: text(256),
            filter: {
              type: 'object',
              additionalProperties: false,
              properties: {
                symbols: { type: 'array', maxItems: 10_000, items: text(41) },
                severities: { type: 'array', items: { type: 'string', enum: severityEnum } },
                rules: { type: 'array', maxItems: 10_000, items: text(64) },
              },
            },
          },
        },
        response: responses({ 201: subscriptionCreated }, ['conflict'], { body: true }),
      },
    },
    async (req, reply) => reply.code(201).send(await platform.commands.createAlertSubscription(req.body, originOf(req, platform))),
  );

  app.get('/api/v1/subscriptions', { schema: { response: responses({ 200: subscriptionsAnswer }) } }, async () => ({ subscriptions: platform.alerts.subscriptions().map(publicSubscription) }));

  app.get<{ Params: { id: string } }>('/api/v1/subscriptions/:id/deliveries', { schema: { params: idParams(), response: responses({ 200: deliveriesAnswer }, ['not_found']) } }, async (req) => {
    const sub = platform.alerts.subscription(req.params.id);
    if (sub === undefined) throw new NotFoundError(`no subscription ${describeValue(req.params.id)}`);
    const deliveries = platform.alerts.deliveries(req.params.id);
    return {
      subscription: publicSubscription(sub),
      deliveries,
      deadLetters: deliveries.filter((d) => d.outcome === 'dead-lettered'),
      queue: await platform.jobs.counts(WEBHOOK_QUEUE),
    };
  });
}

/**
 * Keys and roles over HTTP on the embedded platform: which route needs which role (taken from the
 * server's own routes), what is open without a key and only where, 401 and 403 saying what is
 * needed, keys as ledger events (issued, listed, revoked, still revoked after a restart, never
 * the key itself in the ledger), the key as the actor of a command, `?key=` for WebSockets, and
 * the rate limit per key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { accessFor, ROUTE_ROLES } from '../../../src/adapters/http/access/routeRoles.js';
import { routesOf } from '../../../src/adapters/http/routeCatalogue.js';
import { buildServer } from '../../../src/adapters/http/server.js';
import type { Config } from '../../../src/app/config.js';
import type { Platform } from '../../../src/app/platform.js';
import { API_KEY_STREAM } from '../../../src/domain/streams.js';
import { bearer, issueKey, openTestPlatform, origin, trade, withKey } from '../../support/platform.js';
import { provenEventOf } from '../../support/provenEvent.js';

const T = Date.UTC(2024, 0, 1);
const RULE = { detector: 'price-level', symbols: ['BTC-USDT'], params: { level: 105 }, severity: 'info' };

describe('keys and roles (embedded platform)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  const open = async (over: Partial<Config> = {}, dataDir?: string): Promise<{ platform: Platform; app: FastifyInstance }> => {
    const t = await openTestPlatform(over, dataDir);
    const app = await buildServer(t.platform, { logger: false });
    closers.push(async () => {
      await app.close();
      await t.cleanup();
    });
    const r = await t.platform.commands.recordObservations({ origin, items: [trade('1', '100', T)] });
    await t.platform.liveProjection.waitFor(r.lastPosition);
    return { platform: t.platform, app };
  };

  it('every registered route is named by the role table, and each class of route needs the role the issue gives it', async () => {
    const { app } = await open();
    for (const route of routesOf(app)) {
      const entry = accessFor(route.method, route.url);
      expect(ROUTE_ROLES, `${route.method} ${route.url} is not in the role table`).toContain(entry);
    }
    const role = (method: string, url: string) => accessFor(method, url).role;
    expect(role('GET', '/api/v1/ohlcv/:symbol')).toBe('viewer');
    expect(role('POST', '/api/v1/alert-rules')).toBe('trader');
    expect(role('POST', '/api/v1/risk/:symbol/assessments')).toBe('risk');
    expect(role('GET', '/api/v1/portfolios/:id')).toBe('risk');
    expect(role('GET', '/api/v1/compliance/replay')).toBe('compliance');
    expect(role('GET', '/api/v1/ledger/proofs/inclusion')).toBe('compliance');
    expect(role('POST', '/api/v1/corrections')).toBe('compliance');
    expect(role('DELETE', '/api/v1/keys/:id')).toBe('admin');
    // Prefixes match whole segments; a route nobody named needs admin to write, viewer to read, and is never open.
    expect(accessFor('POST', '/api/v1/alerts-export')).toMatchObject({ role: 'admin', open: 'never' });
    expect(accessFor('GET', '/api/v1/something-new')).toMatchObject({ role: 'viewer', open: 'never' });
  });

  it('on loopback: market data and alerts are open; writes, compliance, ledger and keys answer 401, smaller roles 403, saying what is needed', async () => {
    const { platform, app } = await open();
    expect((await app.inject('/api/v1/ohlcv/BTC-USDT')).statusCode).toBe(200);
    expect((await app.inject('/api/v1/alerts')).statusCode).toBe(200);
    expect((await app.inject('/api/v1/risk/BTC-USDT')).statusCode).toBeLessThan(500);
    const denied: InjectOptions[] = [
      { method: 'POST', url: '/api/v1/alert-rules', payload: RULE },
      { method: 'POST', url: '/api/v1/corrections', payload: {} },
      { method: 'GET', url: `/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${T}` },
      { method: 'GET', url: '/api/v1/ledger/checkpoint' },
      { method: 'GET', url: '/api/v1/keys' },
      { method: 'GET', url: '/api/v1/subscriptions' },
    ];
    for (const request of denied) {
      const r = await app.inject(request);
      expect(r.statusCode, request.url as string).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(r.json().message).toMatch(/needs an API key of role \w+.*Authorization: Bearer <key>.*tickvault keys create --role/);
    }
    const viewer = withKey(app, (await issueKey(platform, 'viewer')).key);
    const replay = await viewer.inject(`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${T}`);
    expect(replay.statusCode).toBe(403);
    expect(replay.json()).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/needs a key of role compliance or admin; key key-\S+ \("test viewer"\) has role viewer/), details: { needed: 'compliance', role: 'viewer' } });
    expect((await viewer.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE })).statusCode).toBe(403);
    const compliance = withKey(app, (await issueKey(platform, 'compliance')).key);
    expect((await compliance.inject(`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${T}`)).statusCode).toBe(200);
    expect((await compliance.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE })).statusCode).toBe(201);
    expect((await compliance.inject('/api/v1/keys')).statusCode).toBe(403);
    // A key that is not one, or not a Bearer header, is 401 even on an open route.
    expect((await app.inject({ url: '/api/v1/ohlcv/BTC-USDT', headers: bearer('tvk_nonsense') })).json()).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(/unknown or revoked/) });
    expect((await app.inject({ url: '/api/v1/ohlcv/BTC-USDT', headers: { authorization: 'Basic YTpi' } })).json().message).toMatch(/not of the form "Bearer <key>"/);
  });

  for (const [name, over] of [['bound to 0.0.0.0', { host: '0.0.0.0' }], ['with openReads never', { openReads: 'never' }]] as const) {
    it(`${name}: every route needs a key but the liveness answer`, async () => {
      const { platform, app } = await open(over);
      for (const url of ['/api/v1/ohlcv/BTC-USDT', '/api/v1/symbols', '/api/v1/alerts', '/metrics']) expect((await app.inject(url)).statusCode, url).toBe(401);
      expect((await app.inject('/health')).statusCode).toBe(200);
      // The dashboard's files hold no data: a browser loads them, then the page asks for a key.
      expect(accessFor('GET', '/')).toMatchObject({ open: 'always' });
      expect(accessFor('GET', '/assets/:file')).toMatchObject({ open: 'always' });
      expect((await app.inject('/')).statusCode).not.toBe(401);
      expect((await withKey(app, (await issueKey(platform, 'viewer')).key).inject('/api/v1/symbols')).json()).toEqual({ symbols: ['BTC-USDT'] });
    });
  }

  it('keys are events: issued and revoked by an admin over the API (never the last admin key), listed without their hash, never in the ledger, revoked still after a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-keys-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const first = await open({}, dir);
    const admin = await issueKey(first.platform, 'admin', 'root');
    const asAdmin = withKey(first.app, admin.key);
    expect((await asAdmin.inject({ method: 'POST', url: '/api/v1/keys', payload: { name: 'desk', role: 'emperor' } })).statusCode).toBe(400);
    const created = await asAdmin.inject({ method: 'POST', url: '/api/v1/keys', payload: { name: 'desk', role: 'trader' } });
    expect(created.statusCode).toBe(201);
    const desk = created.json() as { keyId: string; key: string };
    expect(desk.key).toMatch(/^tvk_[A-Za-z0-9_-]{43}$/);
    const kept = withKey(first.app, (await asAdmin.inject({ method: 'POST', url: '/api/v1/keys', payload: { name: 'kept', role: 'viewer' } })).json().key);
    const deskClient = withKey(first.app, desk.key);
    expect((await deskClient.inject('/api/v1/subscriptions')).statusCode).toBe(200);
    const listed = (await asAdmin.inject('/api/v1/keys')).json().keys;
    expect(listed).toContainEqual({ keyId: desk.keyId, name: 'desk', role: 'trader', revoked: false, position: created.json().position, revokedPosition: null });
    expect(JSON.stringify(listed)).not.toMatch(/keyHash|tvk_/);
    expect((await asAdmin.inject({ method: 'DELETE', url: `/api/v1/keys/${desk.keyId}` })).json()).toMatchObject({ keyId: desk.keyId, revoked: true });
    expect((await asAdmin.inject({ method: 'DELETE', url: `/api/v1/keys/${desk.keyId}` })).json()).toMatchObject({ revoked: false });
    expect((await asAdmin.inject({ method: 'DELETE', url: '/api/v1/keys/key-nope' })).statusCode).toBe(404);
    // The only admin key cannot revoke itself: nobody could manage keys over the API after it.
    const lastAdmin = await asAdmin.inject({ method: 'DELETE', url: `/api/v1/keys/${admin.keyId}` });
    expect(lastAdmin.statusCode).toBe(409);
    expect(lastAdmin.json()).toEqual({ error: 'conflict', message: expect.stringMatching(/last active admin key.*make another admin key first/) });
    expect((await deskClient.inject('/api/v1/subscriptions')).statusCode).toBe(401);
    expect((await kept.inject('/api/v1/symbols')).statusCode).toBe(200);

    const events = await first.platform.ledger.readStream(API_KEY_STREAM);
    expect(events.map((e) => [e.type, (e.data as { name: string }).name, e.meta.actor])).toEqual([
      ['KeyIssued', 'root', origin.actor],
      ['KeyIssued', 'desk', admin.keyId],
      ['KeyIssued', 'kept', admin.keyId],
      ['KeyRevoked', 'desk', admin.keyId],
    ]);
    const everything = JSON.stringify(await first.platform.ledger.read(0, 1_000_000));
    for (const secret of [admin.key, desk.key]) expect(everything).not.toContain(secret.slice(4));
    await closers.pop()!();

    const again = await open({}, dir);
    expect((await withKey(again.app, desk.key).inject('/api/v1/subscriptions')).statusCode).toBe(401);
    const relisted = await withKey(again.app, admin.key).inject('/api/v1/keys');
    expect(relisted.statusCode).toBe(200);
    // The list names the revocation by its position: the proof at it carries that KeyRevoked event.
    const revokedAt = (relisted.json().keys as Array<{ keyId: string; revokedPosition: number | null }>).find((k) => k.keyId === desk.keyId)!.revokedPosition;
    const proof = (await withKey(again.app, admin.key).inject(`/api/v1/ledger/proofs/inclusion?position=${revokedAt}`)).json();
    expect(provenEventOf(proof)).toMatchObject({ type: 'KeyRevoked', data: { keyId: desk.keyId } });
  });

  it('the actor of a command is the key, never a header the client sends', async () => {
    const { platform, app } = await open();
    const trader = await issueKey(platform, 'trader', 'alice');
    const r = await withKey(app, trader.key).inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE, headers: { 'x-actor': 'anyone@bank' } });
    expect(r.statusCode).toBe(201);
    const [event] = await platform.ledger.read(r.json().position - 1, 1);
    expect(event).toMatchObject({ type: 'AlertRuleRegistered', meta: { actor: trader.keyId } });
    expect(JSON.stringify(await platform.ledger.read(0, 1_000_000))).not.toContain('anyone@bank');
  });

  it('WebSockets take the key as ?key= where a key is needed', async () => {
    const { platform, app } = await open({ openReads: 'never' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const connect = (query: string): Promise<{ hello?: { type: string }; error?: string }> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/stream/BTC-USDT${query}`);
        ws.once('message', (m) => {
          resolve({ hello: JSON.parse(String(m)) });
          ws.close();
        });
        ws.once('error', (e) => resolve({ error: e.message }));
      });
    expect(await connect('')).toEqual({ error: 'Unexpected server response: 401' });
    expect(await connect('?key=tvk_wrong')).toEqual({ error: 'Unexpected server response: 401' });
    const { key } = await issueKey(platform, 'viewer');
    expect((await connect(`?key=${key}`)).hello).toMatchObject({ type: 'hello' });
  });

  it('rate limits each key at its role\'s limit with 429 and Retry-After; other keys keep their own budget', async () => {
    const { platform, app } = await open({ rateLimit: 1_000, rateLimitByRole: 'viewer=3' });
    const viewer = withKey(app, (await issueKey(platform, 'viewer')).key);
    const admin = withKey(app, (await issueKey(platform, 'admin')).key);
    // 40 at once: at most 3 a second get through, so even spread over a few seconds most are refused.
    const answers = await Promise.all(Array.from({ length: 40 }, () => viewer.inject('/api/v1/symbols')));
    const refused = answers.filter((r) => r.statusCode === 429);
    expect(answers.filter((r) => r.statusCode === 200).length).toBeLessThan(20);
    expect(refused.length + answers.filter((r) => r.statusCode === 200).length).toBe(40);
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/more than 3 requests in a second: retry after \d+ s/), details: { limit: 3 } });
    const adminAnswers = await Promise.all(Array.from({ length: 40 }, () => admin.inject('/api/v1/symbols')));
    expect(adminAnswers.every((r) => r.statusCode === 200)).toBe(true);
  });
});

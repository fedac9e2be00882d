/**
 * Alerts end to end on the embedded platform: rules as commands over HTTP, alerts appended by
 * the engine and served over REST, /ws/alerts catch-up + live with a client killed mid-stream,
 * webhooks through a receiver that fails three times, and restart / rebuild giving the same ids.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Platform } from '../../src/app/platform.js';
import { issueKey, openTestPlatform, origin, trade, withKey, type KeyedClient } from '../support/platform.js';
import { eventually } from '../contracts/polling.js';

const waitUntil = (check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => eventually(check, { timeoutMs, intervalMs: 10 });

const T = Date.UTC(2024, 0, 1);
const RULE = { ruleId: 'btc-105', detector: 'price-level', symbols: ['BTC-USDT'], params: { level: 105, bandBps: 10 }, severity: 'critical' };

/** `cycles` crossings of 105 (3 s at 100, 3 s at 110, ...), one trade a second from `from`. */
const crossings = (cycles: number, from: number, idFrom = 0): ReturnType<typeof trade>[] =>
  Array.from({ length: cycles * 6 }, (_, i) => trade(String(idFrom + i), Math.floor(i / 3) % 2 === 0 ? '100' : '110', from + i * 1_000));

/** Waits until the engine has folded everything and the feed has indexed what the engine appended. */
const settle = async (p: Platform): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    const head = (await p.ledger.head()).position;
    await p.alertEngine.waitFor(head);
    await p.alertFeed.waitFor((await p.ledger.head()).position);
  }
};

describe('alerts over HTTP and WebSocket (embedded platform)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  const open = async (over: Parameters<typeof openTestPlatform>[0] = {}, dataDir?: string): Promise<{ platform: Platform; app: FastifyInstance; dataDir: string }> => {
    const t = await openTestPlatform(over, dataDir);
    const app = await buildServer(t.platform, { logger: false });
    closers.push(async () => {
      await app.close();
      await t.cleanup();
    });
    return { platform: t.platform, app, dataDir: t.dataDir };
  };

  /** The server as a trader's key reaches it (rules and webhooks are a trader's to make). */
  const asTrader = async (p: Platform, app: FastifyInstance): Promise<KeyedClient> => withKey(app, (await issueKey(p, 'trader')).key);

  const record = async (p: Platform, items: ReturnType<typeof trade>[]): Promise<void> => {
    await p.commands.recordObservations({ origin, items });
    await settle(p);
  };

  it('rules are commands: 400 with the reason, 201 with the id, listed with their actor (the key, not what the client claims), retired by DELETE', async () => {
    const { platform, app } = await open();
    const api = await asTrader(platform, app);
    const alice = await issueKey(platform, 'trader', 'alice');
    const bob = await issueKey(platform, 'trader', 'bob');
    // Rules name symbols the platform has recorded.
    await record(platform, [trade('0', '100', T)]);
    const bad: Array<[unknown, RegExp]> = [
      [{ ...RULE, detector: 'astrology' }, /detector: unknown "astrology"/],
      [{ ...RULE, params: { level: -1 } }, /params.level/],
      [{ ...RULE, params: { level: 1, colour: 'red' } }, /params.colour: price-level has no such param/],
      [{ ...RULE, symbols: ['btcusdt'] }, /symbols/],
      [{ ...RULE, severity: 'panic' }, /severity/],
    ];
    for (const [payload, reason] of bad) {
      const r = await api.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: payload as object });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().message).toMatch(reason);
    }
    const created = await withKey(app, alice.key).inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE, headers: { 'x-actor': 'anyone@bank' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().ruleId).toBe('btc-105');
    expect((await api.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: RULE })).statusCode).toBe(200);
    const anon = await api.inject({ method: 'POST', url: '/api/v1/alert-rules', payload: { detector: 'stale-feed', symbols: '*', severity: 'info' } });
    expect(anon.statusCode, anon.body).toBe(201);
    // Four default rules of trades, two of books (book-spoofing, book-arbitrage), and the two above.
    await waitUntil(async () => (await api.inject('/api/v1/alert-rules')).json().rules.length === 8);
    const rules = (await api.inject('/api/v1/alert-rules')).json().rules as Array<{ ruleId: string; actor: string; retired: unknown }>;
    expect(rules.find((r) => r.ruleId === 'btc-105')).toMatchObject({ actor: alice.keyId, retired: null, params: { level: 105, direction: 0, bandBps: 10 } });
    expect(rules.filter((r) => r.ruleId.startsWith('default-'))).toHaveLength(4);
    expect((await withKey(app, bob.key).inject({ method: 'DELETE', url: '/api/v1/alert-rules/btc-105', headers: { 'x-actor': 'anyone@bank' } })).statusCode).toBe(200);
    expect((await api.inject({ method: 'DELETE', url: '/api/v1/alert-rules/btc-105' })).statusCode).toBe(409);
    expect((await api.inject({ method: 'DELETE', url: '/api/v1/alert-rules/nope' })).statusCode).toBe(404);
    await waitUntil(async () => ((await api.inject('/api/v1/alert-rules')).json().rules as typeof rules).some((r) => r.retired !== null));
    expect(((await api.inject('/api/v1/alert-rules')).json().rules as typeof rules).find((r) => r.ruleId === 'btc-105')!.retired).toMatchObject({ actor: bob.keyId });
    expect(JSON.stringify((await api.inject('/api/v1/alert-rules')).json())).not.toContain('anyone@bank');
  });

  it('alerts are served newest first, paged and filtered, with their evidence; a new rule applies without restart', async () => {
    const { platform, app } = await open();
    await record(platform, crossings(2, T)); // before the rule: no price-level alerts
    await platform.commands.registerAlertRule(RULE, origin);
    await record(platform, crossings(4, T + 20_000, 100));
    const all = (await app.inject('/api/v1/alerts?rule=btc-105&limit=500')).json();
    // 24 trades from T+20 s cross 105 every 3 s; the watermark (5 s lateness) has released 6 crossings.
    expect(all.alerts.length).toBe(6);
    const times = all.alerts.map((a: { eventTime: number }) => a.eventTime);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times.every((t: number) => t >= T + 20_000)).toBe(true);
    const page1 = (await app.inject('/api/v1/alerts?rule=btc-105&limit=3')).json();
    const page2 = (await app.inject(`/api/v1/alerts?rule=btc-105&limit=3&before=${page1.next}`)).json();
    expect([...page1.alerts, ...page2.alerts].map((a: { alertId: string }) => a.alertId)).toEqual(all.alerts.slice(0, 6).map((a: { alertId: string }) => a.alertId));
    expect((await app.inject('/api/v1/alerts?rule=btc-105&severity=info')).json().alerts).toHaveLength(0);
    expect((await app.inject('/api/v1/alerts?symbol=ETH-USDT&rule=btc-105')).json().alerts).toHaveLength(0);
    const one = (await app.inject(`/api/v1/alerts/${all.alerts[1].alertId}`)).json();
    expect(one.evidence.trades.length).toBe(2);
    expect(one.evidence.level).toBe(105);
    expect(one.resolved).not.toBeNull();
    expect((await app.inject('/api/v1/alerts/nope')).statusCode).toBe(404);
    // Compliance: the alerts are ledger events appended by the engine, caused by a trade.
    const ev = await platform.ledger.findByDedupKey(`alert/${one.alertId}/raised`);
    expect(ev).toMatchObject({ type: 'AlertRaised', meta: { actor: 'system:alert-engine' } });
    expect(ev!.meta.causationId).not.toBeNull();
  });

  it('/ws/alerts: a client killed mid-stream and reconnected from its last position misses nothing and repeats nothing', async () => {
    const { platform, app } = await open();
    await platform.commands.registerAlertRule(RULE, origin);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    await record(platform, crossings(3, T));

    const received: Array<{ type: string; position: number }> = [];
    const connect = (from: number, onMessage: (m: { type: string; position: number }, ws: WebSocket) => void): WebSocket => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/alerts?from=${from}`);
      ws.on('message', (raw) => onMessage(JSON.parse(String(raw)) as { type: string; position: number }, ws));
      return ws;
    };
    // First client: takes 5 alerts then dies without a goodbye.
    await new Promise<void>((resolve) => {
      connect(0, (m, ws) => {
        if (m.type === 'caught-up') return;
        received.push(m);
        if (received.length === 5) {
          ws.terminate();
          resolve();
        }
      });
    });
    // More alerts while nobody listens, then reconnect from the last position and keep recording.
    await record(platform, crossings(3, T + 40_000, 1_000));
    let caughtUp = false;
    const ws = connect(received[received.length - 1]!.position, (m) => {
      if (m.type === 'caught-up') caughtUp = true;
      else received.push(m);
    });
    await waitUntil(() => caughtUp);
    // The per-symbol stream carries the symbol's alerts beside its trades.
    const onStream: number[] = [];
    const stream = new WebSocket(`ws://127.0.0.1:${port}/ws/stream/BTC-USDT`);
    stream.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { type: string; position: number };
      if (m.type.startsWith('alert-')) onStream.push(m.position);
    });
    await new Promise((r) => stream.once('message', r));
    const before = platform.alerts.messagesAfter(0).length;
    await record(platform, crossings(3, T + 80_000, 2_000));
    const expected = platform.alerts.messagesAfter(0).map((m) => m.position);
    await waitUntil(() => received.length >= expected.length);
    ws.close();
    await waitUntil(() => onStream.length >= expected.length - before);
    stream.close();
    expect(onStream).toEqual(expected.slice(before));
    expect(expected.length).toBeGreaterThan(20);
    expect(received.map((m) => m.position)).toEqual(expected);
    expect(new Set(received.map((m) => m.type))).toEqual(new Set(['alert-raised', 'alert-resolved']));
  });

  it('webhooks: a receiver failing three times gets each alert, signed, with the alert id as idempotency key; a dead URL is dead-lettered', async () => {
    const requests: Array<{ body: string; signature: string; key: string; ok: boolean }> = [];
    const failuresLeft = new Map<string, number>();
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const key = String(req.headers['idempotency-key']);
        const left = failuresLeft.get(key) ?? 3;
        failuresLeft.set(key, left - 1);
        requests.push({ body, signature: String(req.headers['x-tickvault-signature']), key, ok: left <= 0 });
        res.statusCode = left > 0 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => receiver.close(() => r())));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    // The receivers are on this machine: their range is allowed explicitly, as an admin would.
    const { platform, app: server } = await open({ webhookAttempts: 5, webhookBackoffMs: 20, webhookTimeoutMs: 2_000, webhookAllowedRanges: '127.0.0.1/32' });
    const app = await asTrader(platform, server);
    await platform.commands.registerAlertRule(RULE, origin);
    const secret = 'a-long-shared-secret';
    expect((await app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { url: 'ftp://x', secret } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { url, secret: 'short' } })).json().message).toMatch(/secret/);
    const sub = (await app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { url, secret, filter: { rules: ['btc-105'] } } })).json();
    const dead = (await app.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { url: 'http://127.0.0.1:9/nothing', secret, filter: { rules: ['btc-105'] } } })).json();
    await settle(platform);
    await record(platform, crossings(2, T));
    const alertIds = platform.alerts.alerts({ rule: 'btc-105', limit: 100 }).alerts.map((a) => a.alertId);
    expect(alertIds.length).toBe(2);
    await waitUntil(async () => {
      const d = (await app.inject(`/api/v1/subscriptions/${sub.subscriptionId}/deliveries`)).json();
      return d.deliveries.filter((x: { outcome: string }) => x.outcome === 'delivered').length === 2;
    }, 15_000);
    for (const id of alertIds) {
      const tries = requests.filter((r) => r.key === id);
      expect(tries.map((r) => r.ok)).toEqual([false, false, false, true]);
      for (const r of tries) {
        expect(r.signature).toBe(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
        expect(JSON.parse(r.body).alert.alertId).toBe(id);
      }
    }
    const log = (await app.inject(`/api/v1/subscriptions/${sub.subscriptionId}/deliveries`)).json();
    expect(log.deliveries.map((d: { outcome: string }) => d.outcome).sort()).toEqual([...Array(6).fill('failed'), 'delivered', 'delivered'].sort());
    expect(log.subscription.secret).toBeUndefined();
    await waitUntil(async () => (await app.inject(`/api/v1/subscriptions/${dead.subscriptionId}/deliveries`)).json().deadLetters.length === 2, 15_000);
  }, 30_000);

  it('a restart raises nothing twice, and a rebuild from the same input reproduces the same alert ids', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-alerts-restart-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const first = await open({}, dir);
    await first.platform.commands.registerAlertRule(RULE, origin);
    const input = crossings(5, T);
    await record(first.platform, input);
    const ids = first.platform.alerts.messagesAfter(0).map((m) => (m.type === 'alert-raised' ? m.alert.alertId : `${m.resolution.alertId}/resolved`));
    expect(ids.length).toBeGreaterThan(10);
    const head = (await first.platform.ledger.head()).position;
    await closers.pop()!();

    // Restart on the same ledger: the engine resumes from the snapshot it saved on stop and appends nothing.
    const again = await open({}, dir);
    await again.platform.alertEngine.caughtUp;
    await settle(again.platform);
    expect((await again.platform.ledger.head()).position).toBe(head);
    expect(again.platform.alertEngine.stats()).toMatchObject({ restoredFrom: head, duplicates: 0, raised: 0 });
    expect(again.platform.alerts.messagesAfter(0).map((m) => (m.type === 'alert-raised' ? m.alert.alertId : `${m.resolution.alertId}/resolved`))).toEqual(ids);

    // Rebuild: a new ledger given the same rule and trades (other batches) concludes the same alerts.
    const other = await open();
    await other.platform.commands.registerAlertRule(RULE, origin);
    for (let i = 0; i < input.length; i += 7) await record(other.platform, input.slice(i, i + 7));
    expect(other.platform.alerts.messagesAfter(0).map((m) => (m.type === 'alert-raised' ? m.alert.alertId : `${m.resolution.alertId}/resolved`))).toEqual(ids);
  });
});

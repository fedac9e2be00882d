/**
 * Request logging on the embedded platform: one line per request at most, a person's line
 * (`GET /path 404 3 ms`), at info only for failures and slow requests, at debug otherwise; every
 * line with the request id (sent back as X-Request-Id) and the actor (the key id, or anonymous).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLogLevel } from '../../../src/adapters/http/requestLog.js';
import { buildServer } from '../../../src/adapters/http/server.js';
import { issueKey, openTestPlatform, withKey } from '../../support/platform.js';

/** A server whose log lines (JSON, at info and above) land in `lines`. */
const serverLogging = async (slowRequestMs: number) => {
  const lines: Array<{ level: number; msg: string; reqId?: string; actor?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of String(chunk).split('\n').filter((x) => x !== '')) lines.push(JSON.parse(l) as { level: number; msg: string });
      done();
    },
  });
  const t = await openTestPlatform();
  const app = await buildServer(t.platform, { logger: pino({ level: 'info' }, sink), slowRequestMs });
  return { app, lines, platform: t.platform, close: async () => (await app.close(), await t.cleanup()) };
};

describe('request log', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it('levels: 5xx error, 4xx info, slow info, the rest debug', () => {
    expect(requestLogLevel(500, 1, 1_000)).toBe('error');
    expect(requestLogLevel(503, 5_000, 1_000)).toBe('error');
    expect(requestLogLevel(404, 1, 1_000)).toBe('info');
    expect(requestLogLevel(200, 1_000, 1_000)).toBe('info');
    expect(requestLogLevel(200, 999, 1_000)).toBe('debug');
    expect(requestLogLevel(302, 0, 1_000)).toBe('debug');
  });

  it('a quick success logs nothing at info; a refused request one line naming it', async () => {
    const s = await serverLogging(60_000);
    closers.push(s.close);
    await s.app.inject('/api/v1/symbols');
    await s.app.inject('/health');
    expect(s.lines).toEqual([]);
    await s.app.inject('/api/v1/alerts?limit=Infinity');
    await s.app.inject(`/nothing/${'A'.repeat(10_000)}`);
    expect(s.lines.map((l) => l.level)).toEqual([30, 30]);
    expect(s.lines[0]!.msg).toMatch(/^GET \/api\/v1\/alerts\?limit=Infinity 400 \d+ ms$/);
    expect(s.lines[1]!.msg).toMatch(/^GET \/nothing\/A+\.\.\. 404 \d+ ms$/);
    expect(s.lines[1]!.msg.length).toBeLessThan(200);
  });

  it('a request over the slow threshold logs one line at info, saying so', async () => {
    const s = await serverLogging(0);
    closers.push(s.close);
    await s.app.inject('/api/v1/symbols');
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ level: 30, msg: expect.stringMatching(/^GET \/api\/v1\/symbols 200 \d+ ms \(slow: over 0 ms\)$/) });
  });

  it('every line names the request id and the actor; a caller\'s plain X-Request-Id is kept, anything else replaced', async () => {
    const s = await serverLogging(0);
    closers.push(s.close);
    const { key, keyId } = await issueKey(s.platform, 'viewer');
    const anonymous = await s.app.inject('/api/v1/symbols');
    const keyed = await withKey(s.app, key).inject({ url: '/api/v1/symbols', headers: { 'x-request-id': 'lb-7f3a.2' } });
    const forged = await s.app.inject({ url: '/api/v1/symbols', headers: { 'x-request-id': 'a b\nforged line' } });
    expect(keyed.headers['x-request-id']).toBe('lb-7f3a.2');
    for (const r of [anonymous, forged]) expect(r.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(anonymous.headers['x-request-id']).not.toBe(forged.headers['x-request-id']);
    expect(s.lines.map((l) => ({ reqId: l.reqId, actor: l.actor }))).toEqual([
      { reqId: anonymous.headers['x-request-id'], actor: 'anonymous' },
      { reqId: 'lb-7f3a.2', actor: keyId },
      { reqId: forged.headers['x-request-id'], actor: 'anonymous' },
    ]);
  });
});

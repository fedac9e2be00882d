/** Cluster connection settings: validated URLs, and defaults from the local stack's endpoints file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveServerUrl } from '../../../src/app/profiles/stackEndpoints.js';
import { loadConfig } from '../../../src/app/config.js';

const setting = { flag: 'redis-url', env: 'TICKVAULT_REDIS_URL' };

describe('cluster connection settings', () => {
  const dirs: string[] = [];
  const stackDir = (endpoints?: string): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-stack-'));
    dirs.push(dir);
    if (endpoints !== undefined) writeFileSync(path.join(dir, 'endpoints.json'), endpoints);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a configured URL wins over the stack file', () => {
    const dir = stackDir(JSON.stringify({ redis: { url: 'redis://127.0.0.1:1' } }));
    expect(resolveServerUrl('redis://10.0.0.5:6379', 'redis', dir, setting)).toBe('redis://10.0.0.5:6379');
  });

  it('falls back to the stack endpoint of that server', () => {
    const dir = stackDir(JSON.stringify({ redis: { url: 'redis://127.0.0.1:16379' }, postgres: { url: 'postgres://p@127.0.0.1:15432/tickvault' } }));
    expect(resolveServerUrl('', 'redis', dir, setting)).toBe('redis://127.0.0.1:16379');
    expect(resolveServerUrl('', 'postgres', dir, setting)).toBe('postgres://p@127.0.0.1:15432/tickvault');
  });

  it('says what to do when there is neither a URL nor a stack entry', () => {
    expect(() => resolveServerUrl('', 'redis', stackDir(), setting)).toThrow(/endpoints\.json does not exist; set --redis-url or TICKVAULT_REDIS_URL, or start the local stack/);
    expect(() => resolveServerUrl('', 'redis', stackDir('{"postgres":{"url":"postgres://x"}}'), setting)).toThrow(/has no "redis" entry/);
    expect(() => resolveServerUrl('', 'redis', stackDir('{not json'), setting)).toThrow(/endpoints\.json/);
  });

  it('validates URLs, schema and profile from env and flags, naming the setting', () => {
    const config = loadConfig({ env: { TICKVAULT_POSTGRES_URL: 'postgresql://u@h:5432/db', TICKVAULT_PROFILE: 'cluster' }, flags: { redisUrl: 'rediss://h:6380', postgresSchema: 'ledger_a' } });
    expect(config).toMatchObject({ profile: 'cluster', postgresUrl: 'postgresql://u@h:5432/db', redisUrl: 'rediss://h:6380', postgresSchema: 'ledger_a', redisPrefix: 'tv:', stackDir: '.stack' });
    expect(() => loadConfig({ env: {}, flags: { postgresUrl: 'mysql://h/db' } })).toThrow(/postgresUrl/);
    expect(() => loadConfig({ env: { TICKVAULT_REDIS_URL: 'http://h' }, flags: {} })).toThrow(/redisUrl/);
    expect(() => loadConfig({ env: {}, flags: { postgresSchema: 'Drop Table' } })).toThrow(/postgresSchema/);
  });
});

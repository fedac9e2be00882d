/** A real embedded platform in a temp folder, for end-to-end tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { DEFAULT_CONFIG, type Config } from '../../src/app/config.js';
import { openPlatform, type Platform } from '../../src/app/platform.js';
import { dropClusterState } from './clusterProfile.js';
import type { Role } from '../../src/domain/access/roles.js';
import type { Clock, Ledger } from '../../src/domain/ports.js';
import { hashApiKey, newApiKeySecret } from '../../src/adapters/system/apiKeySecret.js';
import { createUuidV7Generator } from '../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { issueApiKey } from '../../src/commands/issueApiKey.js';

/** `logger` silent unless given (a test that reads what the platform logs). */
export const openTestPlatform = async (over: Partial<Config> = {}, dataDir?: string, logger?: Logger, clock?: Clock): Promise<{ platform: Platform; dataDir: string; cleanup: () => Promise<void> }> => {
  const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'tv-e2e-'));
  const platform = await openPlatform({
    config: { ...DEFAULT_CONFIG, dataDir: dir, source: 'none', batchIntervalMs: 3_600_000, ...over },
    logger: logger ?? pino({ level: 'silent' }),
    ...(clock === undefined ? {} : { clock }),
  });
  return {
    platform,
    dataDir: dir,
    cleanup: async () => {
      await platform.close();
      if (over.profile === 'cluster') await dropClusterState(over);
      if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
};

export const origin = { actor: 'test', correlationId: 'c1', source: 'test' };

export const trade = (tradeId: string, price: string, eventTime: number, over: Record<string, unknown> = {}) => ({
  kind: 'trade' as const,
  data: { exchange: 'binance', symbol: 'BTC-USDT', tradeId, price, quantity: '1', side: 'buy', eventTime, ...over },
});

/** A new API key of `role` written straight into a ledger, as `tickvault keys create` would for processes that share it. */
export const issueKeyInLedger = async (ledger: Ledger, role: Role = 'admin', name = `test ${role}`): Promise<{ key: string; keyId: string }> => {
  const key = newApiKeySecret();
  const { keyId } = await issueApiKey({ ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) }, { input: { name, role }, keyHash: hashApiKey(key) }, origin);
  return { key, keyId };
};

/** A new API key of `role` on the platform (recorded like any other: a KeyIssued event). */
export const issueKey = async (platform: Pick<Platform, 'keys'>, role: Role = 'admin', name = `test ${role}`) => platform.keys.issue({ name, role }, origin);

export const bearer = (key: string): { authorization: string } => ({ authorization: `Bearer ${key}` });

/** Requests to `app` made with `key` (a request's own headers are kept, an Authorization of its own included). */
export interface KeyedClient {
  inject(request: string | InjectOptions): Promise<LightMyRequestResponse>;
}
export const withKey = (app: FastifyInstance, key: string): KeyedClient => ({
  inject: (request) => app.inject(typeof request === 'string' ? { url: request, headers: bearer(key) } : { ...request, headers: { ...bearer(key), ...request.headers } }),
});

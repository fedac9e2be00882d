/**
 * The API against its own contract: schemathesis (PyPI, from spark-jobs' dev dependencies in the
 * stack's Python) reads GET /openapi.json of an embedded platform holding a few weeks of trades,
 * makes requests for every operation from the declared schemas (valid ones and invalid ones), and
 * checks each answer: never a 5xx, a status the operation declares, its declared content type,
 * and a body inside the declared schema. Requests carry an admin key, so every route's own
 * handling is reached, not only the key check; the server also checks each answer against its
 * schema itself (checkResponses), so a mismatch shows as a 5xx naming the route.
 *
 * Revoking a key is fuzzed last, by itself: schemathesis reuses the ids it reads in answers (the
 * admin key's own, from GET /api/v1/keys), and with its key revoked the rest of a run would
 * test nothing but the key check. The WebSocket routes (/ws/...) are left out: their contract is a protocol upgrade and a stream
 * of messages, which an HTTP fuzzer can neither make nor read (over plain HTTP they answer 426,
 * covered by test/adapters/http/anyRequest.property.e2e.spec.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/adapters/http/server.js';
import { issueKey, openTestPlatform, origin, trade } from '../../support/platform.js';
import { pythonStack } from '../../support/pythonReference.js';

const HOUR = 3_600_000;
const DAYS = 40;
/** Up to the last hour, so that the routes' default ranges (the last day, the last complete day, 720 bars...) hold data. */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - DAYS * 24 * HOUR;
/** Bounds that keep the run near a minute on two cores: a few cases per operation, each answered well within its timeout. */
const MAX_EXAMPLES = 6;
const RUN_TIMEOUT_MS = 240_000;

/** Hourly trades of two symbols, on two exchanges, with a price path that moves both ways. */
const history = () =>
  Array.from({ length: DAYS * 24 }, (_, h) => {
    const t = T0 + h * HOUR;
    const btc = (40_000 + 2_000 * Math.sin(h / 17) + 10 * h).toFixed(2);
    const eth = (2_000 + 150 * Math.cos(h / 11) + h / 3).toFixed(2);
    return [
      trade(`b${h}`, btc, t),
      trade(`c${h}`, btc, t + 1_000, { exchange: 'coinbase' }),
      trade(`e${h}`, eth, t + 2_000, { symbol: 'ETH-USDT' }),
    ];
  }).flat();

/** In a folder of its own: schemathesis keeps a cache in the working directory. */
const run = (command: string, args: readonly string[], cwd: string): Promise<{ status: number | null; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer): void => {
      output = (output + b.toString('utf8')).slice(-60_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output }));
  });

describe.skipIf(pythonStack.skip)('the API against its OpenAPI document (schemathesis)', () => {
  let app: FastifyInstance;
  let key: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestPlatform();
    cleanup = t.cleanup;
    const recorded = await t.platform.commands.recordObservations({ origin, items: history() });
    await t.platform.liveProjection.waitFor(recorded.lastPosition);
    await t.platform.batchProjector.runOnce();
    ({ key } = await issueKey(t.platform));
    app = await buildServer(t.platform, { logger: false, checkResponses: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  /** One schemathesis run over the operations `paths` selects (`--include-path-regex`/`--exclude-path-regex`). */
  const schemathesis = async (paths: readonly string[]): Promise<void> => {
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
    const cli = path.join(path.dirname(pythonStack.endpoint()['python'] as string), 'schemathesis');
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'tv-schemathesis-'));
    try {
      const { status, output } = await run(cli, [
        'run',
        `http://127.0.0.1:${address.port}/openapi.json`,
        '--checks', 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
        '--header', `Authorization: Bearer ${key}`,
        ...paths,
        '--phases', 'examples,coverage,fuzzing',
        '--max-examples', String(MAX_EXAMPLES),
        '--seed', '21',
        '--workers', '1',
        '--request-timeout', '20',
        '--generation-database', 'none',
        '--no-color',
      ], cwd);
      expect(status, output).toBe(0);
      // Every operation answered something but 401: the key was good throughout (a revoked key would test nothing but the key check).
      expect(output, output).not.toMatch(/Authentication failed/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  };

  it('answers every operation within its declared statuses, content types and schemas, and never with a 5xx', async () => {
    // Revoking keys last: schemathesis reuses ids it has seen in answers, its own key's among them.
    await schemathesis(['--exclude-path-regex', '^/ws/|^/api/v1/keys/']);
    await schemathesis(['--include-path-regex', '^/api/v1/keys/']);
  }, RUN_TIMEOUT_MS);
});

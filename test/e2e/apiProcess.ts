/**
 * Child process for the multi-process e2e tests: one platform (settings from the JSON argument)
 * with its projections, serving the API on a free port. Prints `ready <port>` once it serves.
 */
import pino from 'pino';
import { buildServer } from '../../src/adapters/http/server.js';
import { DEFAULT_CONFIG, type Config } from '../../src/app/config.js';
import { openPlatform } from '../../src/app/platform.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as Partial<Config>;
const platform = await openPlatform({ config: { ...DEFAULT_CONFIG, source: 'none', batchIntervalMs: 3_600_000, ...settings }, logger: pino({ level: 'silent' }) });
const app = await buildServer(platform, { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`ready ${(app.server.address() as { port: number }).port}\n`);

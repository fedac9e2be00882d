/**
 * `tickvault start`: the platform's roles (`--roles`, default all): the HTTP API and dashboard
 * (or only health and metrics in a process without the api role), the projections, and the
 * configured source in the process that holds the ingest role.
 *
 * SIGTERM and SIGINT shut down in order, so nothing acknowledged is lost and nothing is done
 * twice after a restart: stop accepting requests and let the in-flight ones finish, let the batch
 * being recorded finish, stop the followers (each saves its checkpoint), let running jobs finish,
 * release the roles' locks, exit 0. A shutdown that takes longer than SHUTDOWN_DEADLINE_MS exits 1
 * instead of hanging (what the ledger acknowledged is durable either way).
 */
import type { Config } from '../../app/config.js';
import { openHttpServer } from '../../app/httpServer.js';
import { createLogger } from '../../app/logger.js';
import { openPlatform, type Platform } from '../../app/platform.js';
import { ensureFirstAdminKey } from '../../app/firstAdminKey.js';
import { sourceFromConfig } from '../../app/sources.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

/** Below the 10 s an orchestrator usually waits after SIGTERM before it sends SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 9_000;

/** Runs the configured source into the ledger once this process holds the ingest role; resolves when it has stopped. */
const runIngest = async (platform: Platform, config: Config, signal: AbortSignal, logger: ReturnType<typeof createLogger>): Promise<void> => {
  // A standby stops waiting when the process is asked to stop.
  const stopped = new Promise<false>((resolve) => signal.addEventListener('abort', () => resolve(false), { once: true }));
  if (!(await Promise.race([platform.holdRole('ingest'), stopped])) || signal.aborted) return;
  const source = sourceFromConfig(config, platform.clock.now(), logger);
  if (source === undefined) return;
  logger.info(`source: ${source.name}`);
  const total = source.progress().total;
  const bar = total === undefined ? undefined : createProgressBar({ label: source.name, total });
  const timer = bar === undefined ? undefined : setInterval(() => bar.update(source.progress().done), 200);
  try {
    await platform.ingest(source, signal);
    bar?.finish();
    if (!signal.aborted) logger.info(`source ${source.name} finished; the API keeps serving`);
  } catch (e) {
    logger.error({ err: e }, `source ${source.name} failed; the API keeps serving what the ledger holds`);
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }
};

export const runStart = async (config: Config, _args: ParsedArgs): Promise<number> => {
  const logger = createLogger(config.logLevel);
  const stop = new AbortController();
  let shutdown: (reason: string, code: number) => Promise<void> = async () => undefined;
  const platform = await openPlatform({
    config,
    logger,
    onLocksLost: (e) => {
      logger.error({ err: e }, 'lost the locks of the roles this process runs once: stopping, so that the process taking them over runs alone');
      void shutdown('lost role locks', 1);
    },
  });
  const app = await openHttpServer(platform, logger);
  let ingesting: Promise<void> = Promise.resolve();
  let closing = false;
  shutdown = async (reason, code) => {
    if (closing) return;
    closing = true;
    logger.info(`${reason}: shutting down (finishing in-flight requests and batches, saving checkpoints)`);
    const deadline = setTimeout(() => {
      logger.error(`shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting (acknowledged events are durable in the ledger)`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    stop.abort();
    try {
      await app.close();
      await ingesting;
      await platform.close();
    } catch (e) {
      logger.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    const code = (e as { code?: string }).code;
    logger.error(code === 'EADDRINUSE'
      ? `port ${config.port} is in use: pass another with --port or PORT`
      : `cannot listen on ${config.host}:${config.port}: ${e instanceof Error ? e.message : String(e)}`);
    await platform.close();
    return 2;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  const roles = [...platform.roles].join(',');
  if (platform.roles.has('api')) {
    const adminKey = await ensureFirstAdminKey(platform.keys, config.dataDir, config.adminKeyFile);
    process.stdout.write(`\ntickvault is running: ${url}\n  roles      ${roles}\n  dashboard  ${url}/\n  health     ${url}/health\n  data       ${config.dataDir}\n  ${adminKey}\n\n`);
  } else {
    process.stdout.write(`\ntickvault is running: ${url}\n  roles      ${roles}\n  health     ${url}/health/ready\n\n`);
  }
  if (platform.roles.has('ingest')) ingesting = runIngest(platform, config, stop.signal, logger);
  await new Promise<never>(() => undefined);
  return 0;
};

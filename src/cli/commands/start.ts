/** `tickvault start`: the platform, its HTTP API and dashboard, and the configured live source. */
import type { Config } from '../../app/config.js';
import { openHttpServer } from '../../app/httpServer.js';
import { createLogger } from '../../app/logger.js';
import { openPlatform } from '../../app/platform.js';
import { ensureFirstAdminKey } from '../../app/firstAdminKey.js';
import { sourceFromConfig } from '../../app/sources.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

export const runStart = async (config: Config, _args: ParsedArgs): Promise<number> => {
  const logger = createLogger(config.logLevel);
  const platform = await openPlatform({ config, logger });
  const app = await openHttpServer(platform, logger);
  const stop = new AbortController();
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: shutting down (acknowledged events are already durable)`);
    stop.abort();
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

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
  const adminKey = await ensureFirstAdminKey(platform.keys, config.dataDir, config.adminKeyFile);
  process.stdout.write(`\ntickvault is running: ${url}\n  dashboard  ${url}/\n  health     ${url}/health\n  data       ${config.dataDir}\n  ${adminKey}\n\n`);

  const source = sourceFromConfig(config, platform.clock.now(), logger);
  if (source !== undefined) {
    logger.info(`source: ${source.name}`);
    const total = source.progress().total;
    const bar = total === undefined ? undefined : createProgressBar({ label: source.name, total });
    const timer = bar === undefined ? undefined : setInterval(() => bar.update(source.progress().done), 200);
    platform.ingest(source, stop.signal).then(
      () => {
        if (timer !== undefined) clearInterval(timer);
        bar?.finish();
        if (!stop.signal.aborted) logger.info(`source ${source.name} finished; the API keeps serving`);
      },
      (e: unknown) => {
        if (timer !== undefined) clearInterval(timer);
        logger.error({ err: e }, `source ${source.name} failed; the API keeps serving what the ledger holds`);
      },
    );
  }
  await new Promise<never>(() => undefined);
  return 0;
};

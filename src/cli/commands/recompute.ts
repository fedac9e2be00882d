/**
 * `tickvault recompute --symbol S --from D --to D [--engine ts|spark]`: appends RequestRecompute
 * through the command (which enqueues its job), waits until the ledger records its
 * RecomputeCompleted, and prints the new view version. Whichever worker takes the job does the
 * work: this process's, or on the cluster profile a running server's.
 */
import pino from 'pino';
import { openPlatform } from '../../app/platform.js';
import type { Config } from '../../app/config.js';
import { SETTINGS } from '../../app/settings/settings.js';
import { InvalidInputError } from '../../domain/errors.js';
import { recomputeStream } from '../../domain/streams.js';
import type { ParsedArgs } from '../args.js';

/** Spark over a year of one symbol takes minutes; past this something is stuck. */
const WAIT_MS = 30 * 60_000;

const required = (args: ParsedArgs, flag: string): string => {
  const v = args.values[flag];
  if (typeof v !== 'string' || v === '') throw new InvalidInputError(`recompute needs --${flag} (e.g. --symbol BTC-USDT --from 2024-01-01 --to 2024-01-02)`);
  return v;
};

export const runRecompute = async (config: Config, args: ParsedArgs): Promise<number> => {
  const symbol = required(args, 'symbol').toUpperCase();
  const fromDay = required(args, 'from');
  const toDay = required(args, 'to');
  const engine = args.values['engine'] ?? config.batchEngine;
  if (!SETTINGS.batchEngine.kind.accepts(engine)) throw new InvalidInputError(`--engine: expected ts or spark, got "${String(engine)}"`);
  const reason = typeof args.values['reason'] === 'string' ? args.values['reason'] : 'requested by hand (tickvault recompute)';
  const platform = await openPlatform({ config: { ...config, batchEngine: engine }, logger: pino({ level: config.logLevel }, pino.destination(2)), runProjections: false });
  try {
    const origin = { actor: `cli:${process.env['USER'] ?? 'unknown'}`, correlationId: `recompute-${Date.now()}`, source: 'cli' };
    const { requestId, position } = await platform.commands.requestRecompute({ symbol, fromDay, toDay, reason }, origin);
    process.stderr.write(`recompute ${symbol} ${fromDay}..${toDay} requested at ledger position ${position} (engine ${engine}); running...\n`);
    const started = Date.now();
    const completed = async () =>
      (await platform.ledger.readStream(recomputeStream(symbol))).find((e) => e.type === 'RecomputeCompleted' && (e.data as { requestId: string }).requestId === requestId);
    let done = await completed();
    while (done === undefined) {
      if (Date.now() - started > WAIT_MS) {
        const failed = (await platform.jobs.failed('recompute')).find((j) => j.id === requestId);
        process.stderr.write(`recompute ${requestId} did not complete within ${WAIT_MS / 60_000} min${failed === undefined ? '' : `: ${failed.error}`}\n`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, 1_000));
      done = await completed();
    }
    const d = done.data as { version: number; engine: string };
    process.stdout.write(`${symbol} ohlcv version ${d.version} (engine ${d.engine}, request ${requestId})\n`);
    return 0;
  } finally {
    await platform.close();
  }
};

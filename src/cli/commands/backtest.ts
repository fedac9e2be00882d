/**
 * `tickvault backtest --symbol S --interval 1m|5m|1h|1d --from T --to T --strategy JSON
 * [--mode long-only|long-short] [--walk-forward TRAIN:TEST] [--model MODEL-ID] [--json]`: requests the backtest
 * (BacktestRequested), lets the job queue run it, shows its progress on stderr, and prints the
 * summary (or, with --json, the recorded BacktestCompleted data). Whichever worker takes the job
 * does the work: this process's, or on the cluster profile a running server's (then the bar
 * only moves when the result is recorded).
 */
import pino from 'pino';
import { openPlatform } from '../../app/platform.js';
import type { BacktestStatus } from '../../app/backtests.js';
import type { Config } from '../../app/config.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

/** A year of 1m bars over a grid of 10,000 pairs takes minutes; past this something is stuck. */
const WAIT_MS = 60 * 60_000;
const POLL_MS = 200;
/** The progress bar counts per mille of the work. */
const STEPS = 1_000;

const text = (args: ParsedArgs, flag: string): string | undefined => {
  const v = args.values[flag];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const required = (args: ParsedArgs, flag: string): string => {
  const v = text(args, flag);
  if (v === undefined) {
    throw new InvalidInputError(`backtest needs --${flag} (e.g. --symbol BTC-USDT --interval 1h --from 2024-01-01 --to 2024-07-01 --strategy '{"kind":"sma-crossover","fast":[5,10],"slow":[20,50]}')`);
  }
  return v;
};

/** The request the flags describe; the command validates it and names what is wrong. */
export const backtestRequestOf = (args: ParsedArgs): Record<string, unknown> => {
  let strategy: unknown;
  try {
    strategy = JSON.parse(required(args, 'strategy'));
  } catch (e) {
    throw new InvalidInputError(`--strategy: expected JSON like {"kind":"rsi-thresholds","window":14,"lower":30,"upper":70}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const walk = text(args, 'walk-forward');
  const wf = walk === undefined ? undefined : /^(\d+):(\d+)$/.exec(walk);
  if (wf === null) throw new InvalidInputError(`--walk-forward: expected TRAIN:TEST in bars, like 5000:1000, got "${walk}"`);
  return {
    symbol: required(args, 'symbol').toUpperCase(),
    interval: required(args, 'interval'),
    from: required(args, 'from'),
    to: required(args, 'to'),
    strategy,
    ...(text(args, 'mode') === undefined ? {} : { mode: text(args, 'mode') }),
    ...(wf === undefined ? {} : { walkForward: { trainBars: Number(wf[1]), testBars: Number(wf[2]) } }),
    ...(text(args, 'model') === undefined ? {} : { model: text(args, 'model') }),
  };
};

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : x.toFixed(3));

const summary = (s: BacktestStatus): string => {
  const r = s.result!;
  const m = r.metrics;
  const chosen = r.chosen === null ? `walk-forward, ${r.walkForward?.length ?? 0} segments` : JSON.stringify(r.chosen);
  return [
    `backtest ${s.backtestId}: ${r.symbol} ${r.interval}, ${r.bars.count} bars, ${r.mode}, ${r.gridSize} strategies; traded ${chosen}`,
    `  final equity ${num(m['finalEquity'])} (total ${pct(m['totalReturn'])}, CAGR ${pct(m['cagr'])}); market ${pct(m['marketChange'])}`,
    `  Sharpe ${num(m['sharpe'])}, Sortino ${num(m['sortino'])}, Calmar ${num(m['calmar'])}, max drawdown ${pct(m['maxDrawdown'])}`,
    `  ${m['trades']} trades, win rate ${pct(m['winRate'])}, profit factor ${num(m['profitFactor'])}, expectancy ${num(m['expectancy'])}, exposure ${pct(m['exposure'])}`,
    `  ran on ledger checkpoint ${r.ledgerCheckpoint === null ? 'none (empty ledger)' : `${r.ledgerCheckpoint.size}:${r.ledgerCheckpoint.root.slice(0, 16)}`}, ${r.codeVersion}; event at position ${s.position}`,
  ].join('\n');
};

export const runBacktestCommand = async (config: Config, args: ParsedArgs): Promise<number> => {
  const request = backtestRequestOf(args);
  const platform = await openPlatform({ config, logger: pino({ level: config.logLevel }, pino.destination(2)), runProjections: false });
  try {
    const origin = { actor: `cli:${process.env['USER'] ?? 'unknown'}`, correlationId: `backtest-${Date.now()}`, source: 'cli' };
    const { backtestId } = await platform.backtests.submit(request, origin);
    const bar = createProgressBar({ label: `backtest ${backtestId}`, total: STEPS, stream: process.stderr });
    const started = Date.now();
    for (;;) {
      const status = await platform.backtests.status(backtestId);
      if (status.progress !== null) bar.update(Math.round(status.progress * STEPS));
      if (status.status === 'completed') {
        bar.update(STEPS);
        bar.finish();
        process.stdout.write(args.values['json'] === true ? `${JSON.stringify(status.result)}\n` : `${summary(status)}\n`);
        return 0;
      }
      if (status.status === 'failed' || Date.now() - started > WAIT_MS) {
        bar.finish();
        process.stderr.write(`backtest ${backtestId} ${status.status === 'failed' ? 'failed' : `did not complete within ${WAIT_MS / 60_000} min`}: ${status.error ?? 'no error recorded'}\n`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await platform.close();
  }
};

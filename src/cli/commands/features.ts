/**
 * `tickvault features export --symbol S --interval 1h|1d --from T --to T --out FILE.parquet`:
 * the feature store's rows for [from, to) as a Parquet file (src/app/featureExport.ts), with a
 * progress bar.
 */
import pino from 'pino';
import { openPlatform } from '../../app/platform.js';
import type { Config } from '../../app/config.js';
import { exportFeatures } from '../../app/featureExport.js';
import { InvalidInputError } from '../../domain/errors.js';
import { FEATURE_INTERVALS, type FeatureInterval } from '../../domain/features/definitions.js';
import { readInstant } from '../../domain/instant.js';
import { isMarketSymbol } from '../../domain/symbol.js';
import { INTERVAL_MS } from '../../domain/time.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

const USAGE = 'features export --symbol S --interval 1h|1d --from T --to T --out FILE.parquet';

const required = (args: ParsedArgs, flag: string): string => {
  const v = args.values[flag];
  if (typeof v !== 'string' || v === '') throw new InvalidInputError(`features export needs --${flag} (${USAGE})`);
  return v;
};

const instant = (args: ParsedArgs, flag: string): number => {
  const t = readInstant(required(args, flag), `--${flag}`);
  if (!t.ok) throw new InvalidInputError(t.reason);
  return t.value;
};

export const runFeatures = async (config: Config, args: ParsedArgs): Promise<number> => {
  if (args.positionals[0] !== 'export') throw new InvalidInputError(`features: expected the subcommand export (${USAGE})`);
  const symbol = required(args, 'symbol').toUpperCase();
  if (!isMarketSymbol(symbol)) throw new InvalidInputError(`--symbol: "${symbol}" is not of the form BASE-QUOTE (for example BTC-USDT)`);
  const interval = required(args, 'interval');
  if (!(FEATURE_INTERVALS as readonly string[]).includes(interval)) throw new InvalidInputError(`--interval: expected one of ${FEATURE_INTERVALS.join(', ')}, got "${interval}"`);
  const from = instant(args, 'from');
  const to = instant(args, 'to');
  if (from >= to) throw new InvalidInputError(`--from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`);
  const out = required(args, 'out');

  const platform = await openPlatform({ config, logger: pino({ level: config.logLevel }, pino.destination(2)), runProjections: false });
  try {
    const bar = createProgressBar({ label: `features ${symbol} ${interval}`, total: Math.ceil((to - from) / INTERVAL_MS[interval as FeatureInterval]), stream: process.stderr });
    const { rows } = await exportFeatures(platform.queries.features, {
      symbol,
      interval: interval as FeatureInterval,
      from,
      to,
      out,
      onPage: (done, gaps) => {
        if (gaps.length > 0) process.stderr.write(`\nnote: neither layer covers ${gaps.map((g) => `${new Date(g.from).toISOString()}..${new Date(g.to).toISOString()} (${g.reason})`).join(', ')}\n`);
        bar.update(done);
      },
    });
    bar.finish();
    process.stdout.write(`${rows} ${interval} rows of ${symbol} written to ${out}\n`);
    return 0;
  } finally {
    await platform.close();
  }
};

/**
 * `tickvault report --symbol S --from D --to D --pdf FILE [--url U] [--key K]`: the historical
 * and compliance reports of a symbol over UTC days (both inclusive), printed to PDF by headless
 * Chromium from the dashboard of a running platform (src/app/reportPdf.ts).
 */
import type { Config } from '../../app/config.js';
import { printReport } from '../../app/reportPdf.js';
import { InvalidInputError } from '../../domain/errors.js';
import { isMarketSymbol } from '../../domain/symbol.js';
import type { ParsedArgs } from '../args.js';

const USAGE = 'report --symbol S --from yyyy-mm-dd --to yyyy-mm-dd --pdf FILE [--url U] [--key K]';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const text = (args: ParsedArgs, flag: string): string | undefined => {
  const v = args.values[flag];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const required = (args: ParsedArgs, flag: string): string => {
  const v = text(args, flag);
  if (v === undefined) throw new InvalidInputError(`report needs --${flag} (${USAGE})`);
  return v;
};

const day = (args: ParsedArgs, flag: string): string => {
  const v = required(args, flag);
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new InvalidInputError(`--${flag}: expected a UTC day as yyyy-mm-dd, got "${v}"`);
  return v;
};

export const runReport = async (config: Config, args: ParsedArgs): Promise<number> => {
  const symbol = required(args, 'symbol').toUpperCase();
  if (!isMarketSymbol(symbol)) throw new InvalidInputError(`--symbol: "${symbol}" is not of the form BASE-QUOTE (for example BTC-USDT)`);
  const from = day(args, 'from');
  const to = day(args, 'to');
  if (from > to) throw new InvalidInputError(`--from (${from}) must not be after --to (${to})`);
  const out = required(args, 'pdf');
  const url = text(args, 'url');
  if (url !== undefined && !/^https?:\/\//.test(url)) throw new InvalidInputError(`--url: expected http(s)://host:port, got "${url}"`);
  const result = await printReport(config, { symbol, from, to, out, url, key: text(args, 'key') }, (m) => process.stderr.write(`report: ${m}\n`));
  for (const e of result.pageErrors) process.stderr.write(`report: the page logged an error: ${e}\n`);
  if (result.keyRefused) process.stderr.write('report: the platform refused the key for some sections (the compliance role reads them); they say so in the PDF\n');
  process.stdout.write(`${symbol} ${from} to ${to}: ${result.bytes.toLocaleString('en-US')} bytes of PDF written to ${out}\n`);
  return 0;
};

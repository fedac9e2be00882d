/**
 * `tickvault replay --as-of T`: what the system knew at T, beside what is true now, from the
 * trades and the exchanges' 1m candles (klines) of T's day. A symbol with nothing that day is
 * answered in one line naming what the ledger does hold for the day, exit 1.
 */
import { openProfileLedger } from '../../app/profiles/profileLedger.js';
import type { Config } from '../../app/config.js';
import { InvalidInputError, isNotFoundError } from '../../domain/errors.js';
import type { Ledger } from '../../domain/ports.js';
import { readInstant } from '../../domain/instant.js';
import { parseUtcDay, utcDay } from '../../domain/time.js';
import { replayAsOf, type ReplayAnswer } from '../../read-models/complianceReplay.js';
import type { ParsedArgs } from '../args.js';

/** The API's strict instant grammar, so `--as-of` means what `asOf` means over HTTP ("-1" is refused, not read as 2001). */
const parseInstant = (s: string, what: string): number => {
  const t = readInstant(s, what);
  if (!t.ok) throw new InvalidInputError(t.reason);
  return t.value;
};

const describeState = (label: string, s: ReplayAnswer['asRecorded']): string => {
  const lasts = Object.entries(s.lastByExchange)
    .map(([ex, l]) => `${ex} ${l.price} @ ${new Date(l.eventTime).toISOString()}${l.tradeId === null ? ' (1m candle close)' : ''} [position ${l.position}]`)
    .join(', ');
  const c = s.dayToT;
  const day = c === null
    ? 'nothing recorded for this day yet'
    : `O ${c.open} H ${c.high} L ${c.low} C ${c.close} V ${c.volume} (from ${s.trades} trade(s) and ${s.candles} 1m candle(s))`;
  return `  ${label.padEnd(12)} through position ${s.throughPosition}: ${day}; last: ${lasts || '-'}`;
};

/** The symbols with trades or candles on `day`, sorted. */
const symbolsOn = async (ledger: Ledger, day: string): Promise<string[]> => {
  const streams = (await Promise.all(['trades/', 'candles/'].map((kind) => ledger.streamsMatching(kind, `/${day}`)))).flat();
  return [...new Set(streams.map((s) => s.split('/')[2] ?? ''))].filter((s) => s !== '').sort();
};

export const runReplay = async (config: Config, args: ParsedArgs): Promise<number> => {
  const asOfText = args.values['as-of'];
  if (typeof asOfText !== 'string') throw new InvalidInputError('replay needs --as-of T (ISO-8601 or epoch ms)');
  const asOf = parseInstant(asOfText, '--as-of');
  const dayText = args.values['day'];
  const day = typeof dayText === 'string' ? dayText : utcDay(asOf);
  if (parseUtcDay(day) === undefined) throw new InvalidInputError(`--day: expected yyyy-mm-dd, got "${day}"`);
  const ledger = await openProfileLedger(config);
  try {
    const one = args.values['symbol'];
    const symbols = typeof one === 'string' ? [one.toUpperCase()] : await symbolsOn(ledger, day);
    if (symbols.length === 0) {
      process.stderr.write(`no trades or candles on ${day} in the ledger at ${config.dataDir}\n`);
      return 1;
    }
    for (const symbol of symbols) {
      let a: ReplayAnswer;
      try {
        a = await replayAsOf(ledger, symbol, asOf, day);
      } catch (e) {
        if (!isNotFoundError(e)) throw e;
        const held = await symbolsOn(ledger, day);
        process.stderr.write(`${e.message}${held.length > 0 ? `; on ${day} it holds ${held.join(', ')}` : ''}\n`);
        return 1;
      }
      if (args.values['json'] === true) {
        process.stdout.write(JSON.stringify(a) + '\n');
        continue;
      }
      process.stdout.write(`${symbol} ${a.day} as of ${new Date(asOf).toISOString()}\n`);
      process.stdout.write(describeState('as recorded', a.asRecorded) + '\n');
      process.stdout.write(describeState('valid now', a.validNow) + '\n');
      process.stdout.write(`  since then: ${a.correctedSince.length} correction(s), ${a.lateArrivals} late arrival(s) (facts of the day up to T that the ledger recorded after T, such as an import)\n`);
    }
    return 0;
  } finally {
    await ledger.close();
  }
};

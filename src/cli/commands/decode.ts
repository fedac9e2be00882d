/**
 * `tickvault decode --exchange binance|coinbase|kraken|bitstamp|gemini|okx|bybit|bitfinex`: raw wire messages (one JSON a line) on stdin →
 * canonical events as JSON lines on stdout; rejected messages on stderr with their reason.
 * Lines of a websocket recording are read as the importer reads them: the receive-time prefix
 * (`<ns> ` or `<unix seconds>: `) is taken off and the session header skipped, so a recording
 * can be piped in as it is.
 * Exit 0 unless stdin cannot be read: a bad message is data about the feed, not a failure.
 */
import { createInterface } from 'node:readline';
import type { Config } from '../../app/config.js';
import { WIRE_EXCHANGES, wireDecoder } from '../../app/wireDecoding.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';

const writeLine = async (stream: NodeJS.WritableStream, line: string): Promise<void> => {
  if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
};

export const runDecode = async (_config: Config, args: ParsedArgs): Promise<number> => {
  const exchange = args.values['exchange'];
  const known = WIRE_EXCHANGES.join(', ');
  if (typeof exchange !== 'string') throw new InvalidInputError(`decode needs --exchange (one of ${known})`);
  const decode = wireDecoder(exchange);
  if (decode === undefined) throw new InvalidInputError(`decode: unknown exchange "${exchange}" (known: ${known})`);
  const counts = { lines: 0, events: 0, skipped: 0, rejected: 0 };
  try {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      counts.lines++;
      if (line.trim() === '') continue;
      for (const item of decode(line)) {
        if (item.kind === 'skipped') counts.skipped++;
        else if (item.kind === 'rejected') {
          counts.rejected++;
          await writeLine(process.stderr, `line ${counts.lines}: rejected: ${item.reason}`);
        } else {
          counts.events++;
          await writeLine(process.stdout, JSON.stringify({ type: item.type, data: item.data }));
        }
      }
    }
  } catch (e) {
    process.stderr.write(`tickvault decode: cannot read standard input: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stderr.write(`decoded ${counts.lines} lines: ${counts.events} events, ${counts.skipped} skipped (not trades or closed candles, or a recording's header), ${counts.rejected} rejected\n`);
  return 0;
};

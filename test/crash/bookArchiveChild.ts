/**
 * Child process for the order-book archive's crash test: runs the embedded platform (every role,
 * so the archive's flush timer closes intervals as it would in production) and feeds it the
 * simulator's tape with books, as fast as it takes it, through the platform's own ingest.
 *
 * The tape depends only on the options `bookTape` gives it, so the parent rebuilds it and knows
 * each item by its place: before a batch is handed over it prints `emit <n>` (book items handed
 * over so far, this one included), and once the batch's emit resolved (the book items are in the
 * archive's journal on disk) `ack <n>`. The parent kills it with SIGKILL; or, given a number of
 * acknowledgements, it kills itself the instant it gives that one (nothing after it runs).
 */
import pino from 'pino';
import { DEFAULT_CONFIG, type Config } from '../../src/app/config.js';
import { openPlatform } from '../../src/app/platform.js';
import type { MarketSource } from '../../src/domain/ports.js';
import { bookTape } from './bookTape.js';

const [dataDir, run, settings, killAtAck] = process.argv.slice(2);
const platform = await openPlatform({
  config: { ...DEFAULT_CONFIG, dataDir: dataDir!, source: 'none', batchIntervalMs: 1_000, ...(JSON.parse(settings ?? '{}') as Partial<Config>) },
  logger: pino({ level: 'silent' }),
});
const tape = bookTape(Number(run));
let handed = 0;
let acks = 0;
const counted: MarketSource = {
  name: tape.name,
  progress: () => tape.progress(),
  run: (emit, signal) =>
    tape.run(async (b) => {
      handed += b.items.filter((i) => i.kind === 'bookSnapshot' || i.kind === 'bookUpdate').length;
      // Pipes to a parent are written synchronously on Linux: what is printed is what was true.
      process.stdout.write(`emit ${handed}\n`);
      await emit(b);
      process.stdout.write(`ack ${handed}\n`);
      if (++acks === Number(killAtAck)) process.kill(process.pid, 'SIGKILL');
    }, signal),
};
process.stdout.write('ready\n');
await platform.ingest(counted, new AbortController().signal);
process.stdout.write('finished\n');
await platform.close();

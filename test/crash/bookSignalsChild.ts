/**
 * Child process for the book signals' crash test: runs the embedded platform (every role, so the
 * archive's flush timer closes intervals, saving the book detectors' state first, as in
 * production) on `dataDir`, registers two book rules, and feeds the busy books (test/support/
 * bookSignalRows.ts) in batches of 40 from batch `from` on. It prints `ack <n>` once batch n's
 * emit resolved (its rows are in the journal, its alerts recorded) and, given `killAtAck`, kills
 * itself with SIGKILL the instant it prints that many (timers mid-flush or mid-save included).
 */
import pino from 'pino';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { openPlatform } from '../../src/app/platform.js';
import type { MarketSource } from '../../src/domain/ports.js';
import { busyBookItems } from '../support/bookSignalRows.js';

const [dataDir, t0, from, killAtAck] = process.argv.slice(2);
const BATCH = 40;
const items = busyBookItems(Number(t0), 3 * 60_000);
const platform = await openPlatform({
  config: { ...DEFAULT_CONFIG, dataDir: dataDir!, source: 'none', batchIntervalMs: 3_600_000, bookIntervalMs: 1_000, bookGraceMs: 0, bookSnapshotMs: 5_000 },
  logger: pino({ level: 'silent' }),
});
const origin = { actor: 'crash-test', correlationId: 'rules', source: 'test' };
await platform.commands.registerAlertRule({ ruleId: 'spoof', detector: 'spoofing', symbols: '*', severity: 'warning' }, origin);
await platform.commands.registerAlertRule({ ruleId: 'arb', detector: 'book-arbitrage', symbols: '*', severity: 'critical', params: { feeBps: 0, minDurationMs: 1_500 } }, origin);
let acks = 0;
const source: MarketSource = {
  name: 'busy-books',
  progress: () => ({ done: 0, total: undefined }),
  async run(emit) {
    for (let n = Number(from); n * BATCH < items.length; n++) {
      await emit({ source: 'busy-books', items: items.slice(n * BATCH, (n + 1) * BATCH) });
      process.stdout.write(`ack ${n}\n`);
      if (++acks === Number(killAtAck)) process.kill(process.pid, 'SIGKILL');
      // A pause a batch, so the flush timer (every 250 ms) closes intervals and saves the state between batches, as with a live feed.
      await new Promise((r) => setTimeout(r, 40));
    }
  },
};
process.stdout.write('ready\n');
await platform.ingest(source, new AbortController().signal);
process.stdout.write('finished\n');
await platform.close();

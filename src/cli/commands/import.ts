/**
 * `tickvault import <files...>`: load exchange dump files into the ledger, then bring the batch
 * views up to date. Importing the same file twice adds nothing (every fact has a dedup key), and
 * an interrupted import is resumed by running it again: per-file checkpoints in the data directory
 * let the rerun read past the lines already imported instead of decoding and appending them again.
 *
 * The terminal shows why input was rejected (the first reasons; the ledger keeps all of them),
 * and the exit code is 1 when the files gave nothing at all: no trade or candle new, already in
 * the ledger, or read past by a resumed run.
 */
import { mkdirSync } from 'node:fs';
import type { Config } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { openPlatform } from '../../app/platform.js';
import { importSource } from '../../app/sources.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';
import { collectRejectionReasons, formatRejectionReasons } from '../rejectionReasons.js';

/** Rejection reasons printed on the terminal; the rest are counted. */
const SHOWN_REJECTIONS = 10;

export const runImport = async (config: Config, args: ParsedArgs): Promise<number> => {
  const files = [...args.positionals, ...config.files];
  if (files.length === 0) throw new InvalidInputError('import needs files: tickvault import FILE [FILE...]');
  const logger = createLogger(config.logLevel);
  const platform = await openPlatform({ config, logger, runProjections: false });
  const stop = new AbortController();
  process.on('SIGINT', () => stop.abort());
  try {
    mkdirSync(config.dataDir, { recursive: true });
    const source = importSource({
      files,
      dataDir: config.dataDir,
      isStored: async (key) => (await platform.ledger.findByDedupKey(key)) !== undefined,
    });
    const rejections = collectRejectionReasons(source, SHOWN_REJECTIONS);
    const bar = createProgressBar({ label: 'importing', total: source.progress().total ?? 0 });
    const timer = setInterval(() => bar.update(source.progress().done), 200);
    try {
      await platform.ingest(rejections.source, stop.signal);
    } finally {
      clearInterval(timer);
      // The timer's last reading may be up to 200 ms old: the bar ends on where the source really got to.
      bar.update(source.progress().done);
      bar.finish();
    }
    process.stderr.write(formatRejectionReasons(rejections));
    const { resumed, lines } = source.stats();
    if (resumed > 0) process.stdout.write(`resumed: read past ${resumed} of ${lines} lines already imported by an earlier run\n`);
    const counts = Object.values(platform.metrics.snapshot());
    const sum = (pick: (c: (typeof counts)[number]) => number): number => counts.reduce((n, c) => n + pick(c), 0);
    const [accepted, duplicates, rejected] = [sum((c) => c.accepted), sum((c) => c.duplicates), sum((c) => c.rejected)];
    process.stdout.write(`import: ${accepted} new, ${duplicates} already in the ledger, ${rejected} rejected (kept as InputRejected)\n`);
    if (stop.signal.aborted) {
      process.stdout.write('interrupted: run the same command again to resume (what was imported stays, nothing is doubled)\n');
      return 1;
    }
    if (accepted + duplicates === 0 && resumed === 0) {
      process.stderr.write(`nothing imported: no trade or candle in ${files.join(', ')}${rejected > 0 ? ' (the reasons are above)' : ''}\n`);
      return 1;
    }
    process.stdout.write('updating batch views...\n');
    await platform.batchProjector.runOnce();
    const head = await platform.ledger.head();
    process.stdout.write(`done: ledger head ${head.position}\n`);
    return 0;
  } finally {
    await platform.close();
  }
};

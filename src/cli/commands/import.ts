/**
 * `tickvault import <files...>`: load exchange dump files into the ledger, then bring the batch
 * views up to date. Importing the same file twice adds nothing (every fact has a dedup key), and
 * an interrupted import is resumed by running it again: per-file checkpoints in the data directory
 * let the rerun read past the lines already imported instead of decoding and appending them again.
 */
import { mkdirSync } from 'node:fs';
import type { Config } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { openPlatform } from '../../app/platform.js';
import { importSource } from '../../app/sources.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

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
    const bar = createProgressBar({ label: 'importing', total: source.progress().total ?? 0 });
    const timer = setInterval(() => bar.update(source.progress().done), 200);
    try {
      await platform.ingest(source, stop.signal);
    } finally {
      clearInterval(timer);
      bar.finish();
    }
    const { resumed, lines } = source.stats();
    if (resumed > 0) process.stdout.write(`resumed: read past ${resumed} of ${lines} lines already imported by an earlier run\n`);
    const counts = platform.metrics.snapshot();
    for (const [name, c] of Object.entries(counts)) {
      process.stdout.write(`${name}: ${c.accepted} new, ${c.duplicates} already in the ledger, ${c.rejected} rejected (kept as InputRejected)\n`);
    }
    if (stop.signal.aborted) {
      process.stdout.write('interrupted: run the same command again to resume (what was imported stays, nothing is doubled)\n');
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

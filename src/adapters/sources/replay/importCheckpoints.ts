/**
 * Import checkpoints kept in a small JSON file beside the data: per file entry, the last line whose
 * facts the ledger has accepted, and the dedup key of the last fact among them.
 *
 * The file is rewritten (temp file + rename, so never half-written) only after the ledger append
 * of a batch resolved, so a checkpoint never runs ahead of the ledger. A crash between the append
 * and the rewrite leaves the checkpoint one batch behind: that batch is read again and the ledger
 * drops it as duplicates. On resume the recorded key must be in the ledger, else (a different or
 * reset ledger with the same data directory) the entry starts from its first line.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tradeKey } from '../../../domain/folds/corrections.js';
import type { SourceItem } from '../../../domain/ports.js';
import { candleKey } from '../../../domain/streams.js';
import type { ReplayCheckpoints } from './replayOptions.js';

interface Checkpoint {
  readonly line: number;
  readonly lastKey?: string;
}

export interface ImportCheckpointOptions {
  readonly file: string;
  /** Whether the ledger holds a fact with this dedup key. */
  isStored(dedupKey: string): Promise<boolean>;
}

/** The ledger's dedup key of a decoded trade or candle (the replay decoders give these fields). */
const dedupKeyOf = (item: SourceItem | undefined): string | undefined => {
  if (item?.kind === 'trade') return tradeKey(item.data as Parameters<typeof tradeKey>[0]);
  if (item?.kind === 'candle') return candleKey(item.data as Parameters<typeof candleKey>[0]);
  return undefined;
};

const load = (file: string): Record<string, Checkpoint> => {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, Checkpoint>) : {};
  } catch {
    return {}; // unreadable: start over; the ledger's dedup keys keep the rerun exact
  }
};

export const createImportCheckpoints = (options: ImportCheckpointOptions): ReplayCheckpoints => {
  const points = load(options.file);
  const save = (): void => {
    const tmp = `${options.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(points));
    renameSync(tmp, options.file);
  };
  return {
    async startAfter(entry) {
      const p = points[entry];
      if (p === undefined || !Number.isInteger(p.line) || p.line < 0) return 0;
      if (p.lastKey !== undefined && !(await options.isStored(p.lastKey))) return 0;
      return p.line;
    },
    async committed(entry, line, lastItem) {
      points[entry] = { line, lastKey: dedupKeyOf(lastItem) ?? points[entry]?.lastKey };
      save();
      return Promise.resolve();
    },
  };
};

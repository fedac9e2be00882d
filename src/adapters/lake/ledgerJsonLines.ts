/**
 * Exports ledger events as JSON lines (one RecordedEvent per line), the input of the Spark
 * `export` job (and of `batch_views --events`) that files them into the Parquet lake. Writing
 * Parquet from Node would need a native dependency; Spark reads JSON lines with a declared schema and writes the lake itself.
 * Secrets (a webhook's) stay in the ledger: the lake gets the redacted copy.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { redactSecrets } from '../../domain/events/redaction.js';
import type { RecordedEvent } from '../../domain/events/envelope.js';
import type { Ledger } from '../../domain/ports.js';

export interface ExportOptions {
  /** First position after which to export (0: from the beginning). */
  readonly after?: number;
  /** Last position to export (the head when absent): the ledger as it stood then. */
  readonly through?: number;
  /** Only these event types (all when absent). */
  readonly types?: ReadonlySet<string>;
  readonly pageSize?: number;
  readonly onProgress?: (exported: number, position: number) => void;
}

/** One event's line: its redacted JSON. */
const jsonLine = (e: RecordedEvent): string => JSON.stringify(redactSecrets(e)) + '\n';

/** `events` (already read, e.g. only a recompute's streams) as a stream of lines, 5,000 a chunk. */
export const eventsJsonLines = (events: readonly RecordedEvent[]): Readable =>
  Readable.from(
    (function* chunks() {
      for (let i = 0; i < events.length; i += 5_000) yield events.slice(i, i + 5_000).map(jsonLine).join('');
    })(),
  );

/** Writes the ledger's events to `file`; returns how many were written and the last position read. */
export const exportLedgerJsonLines = async (
  ledger: Ledger,
  file: string,
  options: ExportOptions = {},
): Promise<{ exported: number; through: number }> => {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const pageSize = options.pageSize ?? 5_000;
  let after = options.after ?? 0;
  let exported = 0;
  try {
    for (;;) {
      const through = options.through ?? Number.MAX_SAFE_INTEGER;
      const page = (await ledger.read(after, pageSize)).filter((e) => e.position <= through);
      if (page.length === 0) break;
      let chunk = '';
      for (const e of page) {
        if (options.types === undefined || options.types.has(e.type)) {
          chunk += jsonLine(e);
          exported++;
        }
      }
      after = page[page.length - 1]!.position;
      if (!out.write(chunk)) await once(out, 'drain');
      options.onProgress?.(exported, after);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { exported, through: after };
};

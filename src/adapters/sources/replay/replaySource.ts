/**
 * Replays exchange dump files as a MarketSource: Binance kline, trades and aggTrades CSVs
 * (plain, .gz or .zip) and recorded websocket sessions (gzip text), in the order given.
 *
 * Each file is streamed a chunk at a time, so memory stays flat whatever its size. Its format
 * is detected from its name and first line. Bad content never throws: a row that does not
 * decode becomes a `rejected` item whose reason names the file and line, and a file that
 * cannot be read or recognised becomes one `rejected` item naming it. Only files that do not
 * exist at all are refused up front (a usage error, before anything is replayed).
 *
 * Progress counts bytes of the files (compressed bytes for .gz/.zip) against their total size.
 */
import path from 'node:path';
import type { MarketSource, SourceBatch, SourceItem, SourceProgress } from '../../../domain/ports.js';
import { detectFormat } from './fileFormat.js';
import { entriesOf } from './fileEntries.js';
import { splitLines, TooLongLine } from './lineSplitter.js';
import { lineDecoderFor, type LineDecoder } from './lineDecoder.js';
import { createYielder, sleep } from '../pacing.js';
import { createPacer, pacedTimeOf } from './pacer.js';
import { planReplay, type ReplayOptions } from './replayOptions.js';
import { SKIPPED } from './wsRecordingLine.js';

export interface ReplayStats {
  /** Lines read (headers and blank lines included). */
  readonly lines: number;
  readonly trades: number;
  readonly candles: number;
  readonly rejected: number;
  /** Valid lines that are not trades or candles (order-book updates in a recording). */
  readonly skipped: number;
  /** Lines read past without decoding because a checkpoint says an earlier run imported them. */
  readonly resumed: number;
}

export interface ReplaySource extends MarketSource {
  stats(): ReplayStats;
}

/** Paced replay hands out what is due and sleeps only for waits of at least this long. */
const MIN_SLEEP_MS = 10;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A failure of the consumer (the ledger refused a batch): not the file's fault, so it ends the run. */
class ConsumerFailed {
  constructor(readonly cause: unknown) {}
}

export const createReplaySource = (options: ReplayOptions): ReplaySource => {
  const { speed, batchSize, symbol: symbolOption, files, total } = planReplay(options);
  let done = 0;
  let liveBytes = (): number => 0;
  const stats = { lines: 0, trades: 0, candles: 0, rejected: 0, skipped: 0, resumed: 0 };
  const { checkpoints } = options;

  const replayFiles = async (emit: (batch: SourceBatch) => Promise<void>, signal: AbortSignal): Promise<void> => {
    done = 0;
    Object.assign(stats, { lines: 0, trades: 0, candles: 0, rejected: 0, skipped: 0, resumed: 0 });
    const pace = speed > 0 ? createPacer(speed) : undefined;
    const yieldNow = createYielder();

    for (const { path: file, size, identity } of files) {
      if (signal.aborted) break;
      const base = path.basename(file);
      const source = `replay:${base}`;
      let batch: SourceItem[] = [];
      let entryKey = '';
      /** The line of the last item in `batch`: what a checkpoint may record once the batch is stored. */
      let batchLine = 0;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const items = batch;
        batch = [];
        try {
          await emit({ source, items });
        } catch (e) {
          throw new ConsumerFailed(e);
        }
        await checkpoints?.committed(entryKey, batchLine, items[items.length - 1]);
        await yieldNow();
      };
      const push = async (item: SourceItem): Promise<void> => {
        if (item.kind === 'trade') stats.trades++;
        else if (item.kind === 'candle') stats.candles++;
        else stats.rejected++;
        if (pace !== undefined) {
          const t = pacedTimeOf(item);
          const wait = t === undefined ? 0 : pace(t);
          if (wait >= MIN_SLEEP_MS) {
            await flush();
            await sleep(wait, signal);
            if (signal.aborted) return;
          }
        }
        batch.push(item);
        batchLine = lineNo;
        if (batch.length >= batchSize) await flush();
      };

      const fileStart = done;
      let label = base;
      let lineNo = 0;
      try {
        for (const entry of await entriesOf(file)) {
          if (signal.aborted) break;
          label = entry.label;
          lineNo = 0;
          entryKey = `${identity}|${entry.label}`;
          const resumeAfter = (await checkpoints?.startAfter(entryKey)) ?? 0;
          const { data, bytesRead } = await entry.open();
          const entryStart = done;
          liveBytes = () => entryStart + bytesRead();
          let decode: LineDecoder | undefined;
          let unrecognised = false;
          try {
            for await (const lines of splitLines(data)) {
              for (const line of lines) {
                if (signal.aborted) break;
                lineNo++;
                stats.lines++;
                if (line instanceof TooLongLine) {
                  await push({ kind: 'rejected', reason: `${label}:${lineNo}: line of ${line.length} characters is too long to be a record`, raw: line.head });
                  continue;
                }
                const text = lineNo === 1 ? line.replace(/^\uFEFF/, '') : line;
                if (text.trim() === '') continue;
                if (decode === undefined) {
                  const format = detectFormat({ filePath: file, name: entry.name, firstLine: text, symbol: symbolOption });
                  if ('error' in format) {
                    await push({ kind: 'rejected', reason: format.error, raw: label });
                    unrecognised = true;
                    break;
                  }
                  decode = lineDecoderFor(format, options.exchange);
                  if (format.kind !== 'ws-recording' && format.hasHeader) continue;
                }
                if (lineNo <= resumeAfter) {
                  stats.resumed++;
                  continue;
                }
                const result = decode(text, `${label}:${lineNo}`);
                if (result === SKIPPED) stats.skipped++;
                else await push(result);
              }
              if (signal.aborted || unrecognised) break;
            }
            // The entry is read to its end: store its last batch and mark every line imported.
            if (!signal.aborted && checkpoints !== undefined) {
              await flush();
              await checkpoints.committed(entryKey, lineNo, undefined);
            }
          } finally {
            data.destroy();
            done = entryStart + bytesRead();
            liveBytes = () => done;
          }
        }
      } catch (e) {
        if (e instanceof ConsumerFailed) throw e;
        // Unreadable content (corrupt gzip, truncated zip...): one dead letter for the file, then the next file.
        const at = lineNo > 0 ? ` after line ${lineNo}` : '';
        await push({ kind: 'rejected', reason: `${label}: cannot read${at}: ${messageOf(e)}`, raw: label });
      }
      // After an abort nothing more is handed out: the consumer may be shutting down, and a
      // replay run again re-reads from the start (the ledger drops what it already holds).
      if (!signal.aborted) {
        await flush();
        done = fileStart + size;
      }
      liveBytes = () => done;
    }
  };

  const run = async (emit: (batch: SourceBatch) => Promise<void>, signal: AbortSignal): Promise<void> => {
    try {
      await replayFiles(emit, signal);
    } catch (e) {
      throw e instanceof ConsumerFailed ? e.cause : e;
    }
  };

  return {
    name: 'replay',
    run,
    progress: (): SourceProgress => ({ done: Math.min(total, Math.max(done, liveBytes())), total }),
    stats: () => ({ ...stats }),
  };
};

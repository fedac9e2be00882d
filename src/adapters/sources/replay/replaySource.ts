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
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidInputError } from '../../../domain/errors.js';
import type { MarketSource, SourceBatch, SourceItem, SourceProgress } from '../../../domain/ports.js';
import { isExchangeId } from '../../../domain/symbol.js';
import { canonicalSymbol, detectFormat, type FileFormat } from './fileFormat.js';
import { decodeKlineRow } from './klineRow.js';
import { splitLines, TooLongLine } from './lineSplitter.js';
import { createYielder, sleep } from '../pacing.js';
import { createPacer } from './pacer.js';
import { decodeAggTradeRow, decodeTradeRow } from './tradeRows.js';
import { decodeWsRecordingLine, SKIPPED, type WsLineResult } from './wsRecordingLine.js';
import { openZipEntry, readZipEntries } from './zipArchive.js';

export interface ReplayOptions {
  readonly files: readonly string[];
  /** 0 or undefined: as fast as possible; N: N× real time, paced by event time. */
  readonly speed?: number;
  readonly batchSize?: number;
  /** Exchange id for every file (default: `binance`, or `binance-futures` for futures dumps). */
  readonly exchange?: string;
  /** Symbol for CSV files whose name does not carry it (`BTC-USDT` or `BTCUSDT`). */
  readonly symbol?: string;
  /** Where each file stopped last time: lines up to there are read past, not decoded or handed out again. */
  readonly checkpoints?: ReplayCheckpoints;
}

/**
 * Per-entry resume points. `entry` names one stream of lines: the file (path, size and mtime, so
 * a changed file starts over) and, for a zip, the member. `committed` is called only after the
 * consumer has accepted every item up to `line` (the emit resolved), so a checkpoint never runs
 * ahead of what is stored.
 */
export interface ReplayCheckpoints {
  startAfter(entry: string): Promise<number>;
  committed(entry: string, line: number, lastItem: SourceItem | undefined): Promise<void>;
}

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

const DEFAULT_BATCH = 1_000;
/** Paced replay hands out what is due and sleeps only for waits of at least this long. */
const MIN_SLEEP_MS = 10;

type Decoder = (line: string, where: string) => WsLineResult;

const makeDecoder = (format: FileFormat, exchangeOption: string | undefined): Decoder => {
  if (format.kind === 'ws-recording') {
    const exchange = exchangeOption ?? 'binance';
    return (line, where) => decodeWsRecordingLine(line, { exchange, where });
  }
  const exchange = exchangeOption ?? (format.futures ? 'binance-futures' : 'binance');
  const { symbol } = format;
  switch (format.kind) {
    case 'klines': {
      const { interval } = format;
      return (line, where) => decodeKlineRow(line, { exchange, symbol, interval, where });
    }
    case 'trades':
      return (line, where) => decodeTradeRow(line, { exchange, symbol, where });
    case 'aggTrades':
      return (line, where) => decodeAggTradeRow(line, { exchange, symbol, where });
  }
};

const eventTimeOf = (item: SourceItem): number | undefined => {
  if (item.kind === 'trade') return (item.data as { eventTime: number }).eventTime;
  if (item.kind === 'candle') return (item.data as { openTime: number }).openTime;
  return undefined;
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A failure of the consumer (the ledger refused a batch): not the file's fault, so it ends the run. */
class ConsumerFailed {
  constructor(readonly cause: unknown) {}
}

/** gzip and zip are told by their first bytes, whatever the file is called. */
const sniff = async (file: string): Promise<'gzip' | 'zip' | 'plain'> => {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && b.readUInt32LE(0) === 0x04034b50) return 'zip';
    return 'plain';
  } finally {
    await fh.close();
  }
};

interface Entry {
  /** Label in reasons and batch sources: the file name, or `archive.zip/entry.csv`. */
  readonly label: string;
  /** The name the format is read from. */
  readonly name: string;
  open(): Promise<{ data: Readable; bytesRead: () => number }>;
}

const entriesOf = async (file: string): Promise<Entry[]> => {
  const base = path.basename(file);
  const kind = await sniff(file);
  if (kind === 'zip') {
    const entries = await readZipEntries(file);
    return entries.map((e) => ({ label: `${base}/${e.name}`, name: path.basename(e.name), open: () => openZipEntry(file, e) }));
  }
  return [
    {
      label: base,
      name: base,
      open: async () => {
        const raw = createReadStream(file);
        const bytesRead = (): number => raw.bytesRead;
        if (kind === 'plain') return { data: raw, bytesRead };
        const gunzip = createGunzip();
        pipeline(raw, gunzip, () => undefined); // errors surface on the gunzip stream being read
        return { data: gunzip, bytesRead };
      },
    },
  ];
};

export const createReplaySource = (options: ReplayOptions): ReplaySource => {
  const speed = options.speed ?? 0;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const files = [...options.files];
  if (!Number.isFinite(speed) || speed < 0) throw new InvalidInputError(`replay: speed must be ≥ 0, got ${speed}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidInputError(`replay: batchSize must be a positive integer, got ${batchSize}`);
  if (options.exchange !== undefined && !isExchangeId(options.exchange)) {
    throw new InvalidInputError(`replay: exchange must be a lower-case exchange id like "binance", got "${options.exchange}"`);
  }
  const symbolOption = options.symbol === undefined ? undefined : canonicalSymbol(options.symbol);
  if (options.symbol !== undefined && symbolOption === undefined) {
    throw new InvalidInputError(`replay: symbol must look like BTC-USDT or BTCUSDT, got "${options.symbol}"`);
  }
  // Sizes now: the total is known before the run starts (a progress bar needs it), and a
  // mistyped path fails at once instead of after an hour of importing the other files.
  const stated = files.map((file) => {
    let st;
    try {
      st = statSync(file);
    } catch (e) {
      throw new InvalidInputError(`replay: cannot read ${file}: ${messageOf(e)}`);
    }
    if (!st.isFile()) throw new InvalidInputError(`replay: ${file} is not a file`);
    return st;
  });
  const sizes = stated.map((st) => st.size);
  // A file's identity for checkpoints: another file at the same path, or the file rewritten, starts over.
  const identities = stated.map((st, i) => `${path.resolve(files[i]!)}|${st.size}|${Math.trunc(st.mtimeMs)}`);
  const total = sizes.reduce((a, b) => a + b, 0);

  let done = 0;
  let liveBytes = (): number => 0;
  const stats = { lines: 0, trades: 0, candles: 0, rejected: 0, skipped: 0, resumed: 0 };
  const { checkpoints } = options;

  const replayFiles = async (emit: (batch: SourceBatch) => Promise<void>, signal: AbortSignal): Promise<void> => {
    done = 0;
    Object.assign(stats, { lines: 0, trades: 0, candles: 0, rejected: 0, skipped: 0, resumed: 0 });
    const pace = speed > 0 ? createPacer(speed) : undefined;
    const yieldNow = createYielder();

    for (let f = 0; f < files.length && !signal.aborted; f++) {
      const file = files[f]!;
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
          const t = eventTimeOf(item);
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
          entryKey = `${identities[f]!}|${entry.label}`;
          const resumeAfter = (await checkpoints?.startAfter(entryKey)) ?? 0;
          const { data, bytesRead } = await entry.open();
          const entryStart = done;
          liveBytes = () => entryStart + bytesRead();
          let decode: Decoder | undefined;
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
                  decode = makeDecoder(format, options.exchange);
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
        done = fileStart + sizes[f]!;
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

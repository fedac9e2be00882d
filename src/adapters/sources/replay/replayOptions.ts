/**
 * What a replay is asked to do, checked before anything is replayed: bad settings and files that
 * do not exist are a usage error at once, not after an hour of importing the other files. The
 * files' sizes are read now too: a progress bar needs the total before the run starts.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../../domain/errors.js';
import type { SourceItem } from '../../../domain/ports.js';
import { isExchangeId } from '../../../domain/symbol.js';
import { canonicalSymbol } from './fileFormat.js';

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

const DEFAULT_BATCH = 1_000;

/** A file to replay as it was when the replay was set up. */
export interface ReplayFile {
  readonly path: string;
  readonly size: number;
  /** Its identity for checkpoints: another file at the same path, or the file rewritten, starts over. */
  readonly identity: string;
}

export interface ReplayPlan {
  readonly speed: number;
  readonly batchSize: number;
  /** The canonical symbol for files whose name does not carry one. */
  readonly symbol: string | undefined;
  readonly files: readonly ReplayFile[];
  /** Bytes of all files (compressed bytes for .gz/.zip): what progress counts against. */
  readonly total: number;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The checked settings and the files as they are now; throws InvalidInputError naming what is wrong. */
export const planReplay = (options: ReplayOptions): ReplayPlan => {
  const speed = options.speed ?? 0;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isFinite(speed) || speed < 0) throw new InvalidInputError(`replay: speed must be ≥ 0, got ${speed}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidInputError(`replay: batchSize must be a positive integer, got ${batchSize}`);
  if (options.exchange !== undefined && !isExchangeId(options.exchange)) {
    throw new InvalidInputError(`replay: exchange must be a lower-case exchange id like "binance", got "${options.exchange}"`);
  }
  const symbol = options.symbol === undefined ? undefined : canonicalSymbol(options.symbol);
  if (options.symbol !== undefined && symbol === undefined) {
    throw new InvalidInputError(`replay: symbol must look like BTC-USDT or BTCUSDT, got "${options.symbol}"`);
  }
  const files = options.files.map((file): ReplayFile => {
    let st;
    try {
      st = statSync(file);
    } catch (e) {
      throw new InvalidInputError(`replay: cannot read ${file}: ${messageOf(e)}`);
    }
    if (!st.isFile()) throw new InvalidInputError(`replay: ${file} is not a file`);
    return { path: file, size: st.size, identity: `${path.resolve(file)}|${st.size}|${Math.trunc(st.mtimeMs)}` };
  });
  return { speed, batchSize, symbol, files, total: files.reduce((a, f) => a + f.size, 0) };
};

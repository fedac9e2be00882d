/**
 * Which kind of file a replay input is, from its name and its first line.
 *
 * data.binance.vision names files `BTCUSDT-1m-2023-02-01.csv`, `BTCUSDT-trades-2024-01-01.csv`,
 * `BTCUSDT-aggTrades-2024-01.csv` (each also as .zip). The name gives the symbol and interval;
 * the first line tells a header (futures dumps have one, spot dumps do not) from data, and a
 * websocket recording (`<ns> {json}`) from CSV. Without a header or a telling name, the number
 * of columns decides (12 kline, 7 trades, 8 aggTrades: the spot layouts).
 */
import { isMarketSymbol, splitConcatenatedSymbol } from '../../../domain/symbol.js';
import { INTERVALS, isInterval, type Interval } from '../../../domain/time.js';
import { isHeaderLine, splitCsv } from './csvFields.js';
import { KLINE_COLUMNS } from './klineRow.js';
import { isRecordingLine } from './wsRecordingLine.js';

export type CsvKind = 'klines' | 'trades' | 'aggTrades';

export interface DumpName {
  /** Canonical symbol (`BTC-USDT`), when the name has one we can split. */
  readonly symbol: string | undefined;
  readonly kind: CsvKind | undefined;
  /** The interval as written (`1m`, `15m`), for klines. */
  readonly interval: string | undefined;
}

export type FileFormat =
  | { readonly kind: 'ws-recording' }
  | { readonly kind: CsvKind; readonly hasHeader: boolean; readonly futures: boolean; readonly symbol: string; readonly interval: Interval | undefined };

const DUMP_NAME = /^([A-Za-z0-9]+)-(trades|aggTrades|\d+[smhdwM]|1mo)-\d{4}-\d{2}(?:-\d{2})?$/;

/** `BTCUSDT-1m-2023-02-01.csv(.gz|.zip)` → symbol, kind, interval. Unknown parts are undefined. */
export const parseDumpName = (fileName: string): DumpName => {
  const stem = fileName.replace(/\.(gz|zip)$/i, '').replace(/\.csv$/i, '');
  const m = DUMP_NAME.exec(stem);
  if (m === null) return { symbol: undefined, kind: undefined, interval: undefined };
  const part = m[2]!;
  const kind: CsvKind = part === 'trades' ? 'trades' : part === 'aggTrades' ? 'aggTrades' : 'klines';
  return { symbol: splitConcatenatedSymbol(m[1]!), kind, interval: kind === 'klines' ? part : undefined };
};

/** `BTC-USDT` or `BTCUSDT` → `BTC-USDT`; undefined when neither. */
export const canonicalSymbol = (s: string): string | undefined => {
  const upper = s.toUpperCase();
  return isMarketSymbol(upper) ? upper : splitConcatenatedSymbol(upper);
};

const kindOfHeader = (line: string): CsvKind | undefined => {
  const columns = splitCsv(line.replace(/^\uFEFF/, '').toLowerCase());
  if (columns.includes('open_time')) return 'klines';
  if (columns.includes('agg_trade_id')) return 'aggTrades';
  if (columns[0] === 'id' && columns.includes('is_buyer_maker')) return 'trades';
  return undefined;
};

const kindOfColumnCount = (line: string): CsvKind | undefined => {
  const n = splitCsv(line).length;
  return n === KLINE_COLUMNS ? 'klines' : n === 7 ? 'trades' : n === 8 ? 'aggTrades' : undefined;
};

/**
 * Futures or spot: the path says so when it can (data.binance.vision paths, our shared folders
 * are named `.../futures/...`, `binance-spot-...`); otherwise a header row means futures.
 */
export const isFuturesPath = (filePath: string, hasHeader: boolean): boolean => {
  const p = filePath.toLowerCase();
  if (p.includes('futures')) return true;
  if (p.includes('spot')) return false;
  return hasHeader;
};

export interface DetectInput {
  readonly filePath: string;
  /** The name the format is read from: the file's, or the zip entry's. */
  readonly name: string;
  readonly firstLine: string;
  readonly symbol: string | undefined;
}

export const detectFormat = (input: DetectInput): FileFormat | { readonly error: string } => {
  const { name, firstLine } = input;
  if (isRecordingLine(firstLine)) return { kind: 'ws-recording' };
  const fromName = parseDumpName(name);
  const headerKind = isHeaderLine(firstLine) ? kindOfHeader(firstLine) : undefined;
  const hasHeader = headerKind !== undefined;
  const kind = headerKind ?? fromName.kind ?? kindOfColumnCount(firstLine);
  if (kind === undefined) {
    return { error: `cannot tell the format of ${name}: expected a Binance kline/trades/aggTrades CSV or a websocket recording, first line starts "${firstLine.slice(0, 60)}"` };
  }
  const symbol = input.symbol ?? fromName.symbol;
  if (symbol === undefined) {
    return { error: `cannot tell the symbol of ${name}: name the file like BTCUSDT-1m-2023-02-01.csv or pass the symbol option` };
  }
  let interval: Interval | undefined;
  if (kind === 'klines' && fromName.interval !== undefined) {
    if (!isInterval(fromName.interval)) {
      return { error: `${name}: ${fromName.interval} klines are not supported (intervals: ${INTERVALS.join(', ')})` };
    }
    interval = fromName.interval;
  }
  return { kind, hasHeader, futures: isFuturesPath(input.filePath, hasHeader), symbol, interval };
};

/** The decoder for a replayed entry's lines, chosen by the format detected from its name and first line. */
import type { FileFormat } from './fileFormat.js';
import { decodeKlineRow } from './klineRow.js';
import { decodeAggTradeRow, decodeTradeRow } from './tradeRows.js';
import { decodeWsRecordingLine, type WsLineResult } from './wsRecordingLine.js';

/** Decodes one line; `where` (`file:line`) goes into the reason of a line that does not decode. */
export type LineDecoder = (line: string, where: string) => WsLineResult;

/** `exchange` overrides the default: `binance`, or `binance-futures` for futures dumps. */
export const lineDecoderFor = (format: FileFormat, exchangeOption: string | undefined): LineDecoder => {
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

/**
 * Field parsing shared by the Binance dump decoders. Binance CSVs are plain: no quoting, no
 * escapes, so a split on commas is exact. Parsers return undefined instead of throwing; the
 * decoders turn that into a `rejected` item naming the column.
 */
import { isDecimalString } from '../../../domain/decimal.js';

export const splitCsv = (line: string): string[] => line.split(',').map((cell) => cell.trim());

/** A header row starts with a column name; a data row starts with a number. */
export const isHeaderLine = (line: string): boolean => !/^\s*\d/.test(line.replace(/^\uFEFF/, ''));

export const isUnsignedInteger = (cell: string): boolean => /^\d{1,20}$/.test(cell);

/** A decimal string as the events keep it: digits, optional fraction, no sign, no exponent. */
export const isDecimal = (cell: string): boolean => isDecimalString(cell);

/**
 * Epoch milliseconds from an integer timestamp in ms, µs or ns, told apart by magnitude:
 * Binance's spot dumps switched open_time and trade times to microseconds in 2025. Any
 * instant after 1973 in ms is below 1e14; in µs it is above 1e14 (until year 5138).
 */
export const parseEpochMs = (cell: string): number | undefined => {
  if (!isUnsignedInteger(cell)) return undefined;
  const n = Number(cell);
  // Cut digits rather than divide: a 19-digit ns value is beyond 2^53 and would round.
  if (n >= 1e17) return Number(cell.slice(0, -6));
  if (n >= 1e14) return Number(cell.slice(0, -3));
  return n;
};

export const parseBoolean = (cell: string): boolean | undefined => {
  const lower = cell.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
};

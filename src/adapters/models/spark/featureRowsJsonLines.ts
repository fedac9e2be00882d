/**
 * One symbol's feature rows as JSON lines in the Spark `features` view's columns (snake_case,
 * `bucket_start` for the bar's start), what `models.py` reads with its declared schema: the same
 * rows the embedded engine would train on, so both engines see the same numbers.
 */
import { FEATURE_COLUMNS, type FeatureRow } from '../../../domain/features/featureRow.js';
import { featureColumnName } from '../../parquet/featureRowsParquet.js';

const COLUMNS = FEATURE_COLUMNS.map((c) => [c, featureColumnName(c)] as const);

export const featureRowsJsonLines = (symbol: string, interval: string, rows: readonly FeatureRow[]): Buffer => {
  let out = '';
  for (const row of rows) {
    const line: Record<string, string | number | null> = { symbol, interval };
    for (const [field, column] of COLUMNS) line[column] = row[field];
    // JSON.stringify writes a double's shortest round-trip digits: Spark parses back the same double.
    out += JSON.stringify(line) + '\n';
  }
  return Buffer.from(out, 'utf8');
};

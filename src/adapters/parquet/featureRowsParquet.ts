/**
 * Feature rows as a Parquet file for notebooks: one column per feature (FEATURE_COLUMNS, in
 * snake_case as the Spark view names them), `bucket_start` a millisecond timestamp (UTC), every
 * figure a nullable DOUBLE, counts and ranks INT64. The symbol, interval, definition version and
 * batch view version go into the file's key-value metadata.
 */
import { parquetWriteFile } from 'hyparquet-writer';
import { FEATURE_COLUMNS, type FeatureRow } from '../../domain/features/featureRow.js';

/** The Spark view's name of a feature: snake_case, digits set apart (`logReturn1Lag2` → `log_return_1_lag_2`). */
export const featureColumnName = (c: (typeof FEATURE_COLUMNS)[number]): string =>
  c === 'time' ? 'bucket_start' : c.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`).replace(/(\d+)/g, '_$1');

const INTEGER_COLUMNS: ReadonlySet<string> = new Set(['trades', 'marketCapRank']);

export interface FeatureFileMeta {
  readonly symbol: string;
  readonly interval: string;
  readonly definitionVersion: number;
  readonly batchVersion: number | null;
}

export const writeFeatureParquet = (filename: string, rows: readonly FeatureRow[], meta: FeatureFileMeta): void => {
  parquetWriteFile({
    filename,
    columnData: FEATURE_COLUMNS.map((c) => {
      const values = rows.map((r) => r[c]);
      if (c === 'time') return { name: featureColumnName(c), data: values.map((t) => BigInt(t as number)), type: 'TIMESTAMP' as const };
      if (INTEGER_COLUMNS.has(c)) return { name: featureColumnName(c), data: values.map((v) => (v === null ? null : BigInt(v))), type: 'INT64' as const, nullable: true };
      return { name: featureColumnName(c), data: values, type: 'DOUBLE' as const, nullable: true };
    }),
    kvMetadata: Object.entries(meta).map(([key, value]) => ({ key: `tickvault.${key}`, value: String(value) })),
    createdBy: 'tickvault features export',
  });
};

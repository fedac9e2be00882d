/**
 * An interval file of book rows as Parquet: `data` is each row's canonical JSON, the bytes its
 * digest hashes, kept exactly; `symbol`, `kind`, `origin`, `sequence` and `event_time` are copies
 * of its fields so Spark can filter and sort without parsing. `exchange` and `date` are the
 * folder's partition values (raw/orderbook/exchange=…/date=…/), as Spark writes them.
 */
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { bookRowText, type BookRow } from '../../../domain/orderbook/archive/bookRow.js';

export const encodeBookRows = (rows: readonly BookRow[]): Uint8Array =>
  new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'symbol', data: rows.map((r) => r.data.symbol), type: 'STRING' },
        { name: 'kind', data: rows.map((r) => r.kind), type: 'STRING' },
        { name: 'origin', data: rows.map((r) => r.origin), type: 'STRING' },
        { name: 'sequence', data: rows.map((r) => (r.data.sequence === undefined ? null : BigInt(r.data.sequence))), type: 'INT64', nullable: true },
        { name: 'event_time', data: rows.map((r) => BigInt(r.data.eventTime)), type: 'TIMESTAMP' },
        { name: 'data', data: rows.map(bookRowText), type: 'STRING' },
      ],
      createdBy: 'tickvault order-book archive',
    }),
  );

/** The `data` column: each row's canonical text as stored, in file order. */
export const decodeBookRowTexts = async (bytes: Uint8Array): Promise<string[]> => {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, columns: ['data'] });
  return rows.map((r) => String(r['data']));
};

/**
 * The cluster BatchStore on HBase, through the REST gateway (hbaseRest.ts).
 *
 * Tables (names prefixed, so several deployments or test runs share one HBase):
 *   ohlcv        row `{symbol}#{interval}#{bucketStart}` (1m minute slots, 1h and 1d candles),
 *                one column `c:{exchange}` per exchange, value the lossless stored form (JSON)
 *   views        row `{view}#{symbol}`, column `m:meta`: version, computedThrough, throughPosition
 *   checkpoints  row `{projector}`, column `p:position`
 *
 * HBase has no multi-table transactions, so a commit is idempotent and ordered instead: replaced
 * ranges are deleted, rows put, meta put, and the checkpoint written last. A crash anywhere
 * leaves the checkpoint behind, and the projector redoes the same write, which lands on the
 * same deterministic keys. A delete in HBase hides every cell of its row stamped at or before
 * its own millisecond, so after deleting, the commit waits for the clock to move on: no later
 * put can share a delete's millisecond.
 */
import { loadCandle, storeCandle, type StoredCandle } from '../../../domain/folds/candle.js';
import { loadSlot, storeSlot, type StoredSlot } from '../../../domain/folds/minuteSlot.js';
import type { BatchCandleRow, BatchMinuteRow, BatchStore, BatchViewMeta } from '../../../domain/ports.js';
import { createHBaseRest, type HBaseCell, type HBaseRest } from './hbaseRest.js';
import { metaRowKey, metaRowRange, parseViewRowKey, viewRowKey, viewRowRange, type RowInterval } from './rowKeys.js';

export interface HBaseBatchStoreOptions {
  /** Base URL of the REST gateway. */
  readonly url: string;
  /** Prefix of the table names (`tickvault_` by default). */
  readonly tablePrefix?: string;
  readonly timeoutMs?: number;
}

/** Cells per REST put: large enough to be fast, small enough to stay well inside the timeout. */
const PUT_CHUNK = 2_000;
/** REST calls in flight at once. */
const CONCURRENCY = 4;

const INTERVALS: readonly RowInterval[] = ['1m', '1h', '1d'];

const runLimited = async <T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const exchangeOf = (column: string): string => column.slice(column.indexOf(':') + 1);

const metaOf = (view: string, symbol: string, value: string): BatchViewMeta => {
  const m = JSON.parse(value) as { version: number; computedThrough: number; throughPosition: number };
  return { view, symbol, version: m.version, computedThrough: m.computedThrough, throughPosition: m.throughPosition };
};

export const openHBaseBatchStore = async (options: HBaseBatchStoreOptions): Promise<BatchStore & { readonly tables: readonly string[] }> => {
  const rest: HBaseRest = createHBaseRest({ url: options.url, timeoutMs: options.timeoutMs ?? 15_000 });
  const prefix = options.tablePrefix ?? 'tickvault_';
  const t = { ohlcv: `${prefix}ohlcv`, views: `${prefix}views`, checkpoints: `${prefix}checkpoints` };
  // Together: the master creates each table as a procedure of its own (about a third of the time in a row).
  await Promise.all([rest.ensureTable(t.ohlcv, ['c']), rest.ensureTable(t.views, ['m']), rest.ensureTable(t.checkpoints, ['p'])]);

  const putAll = async (table: string, cells: readonly HBaseCell[]): Promise<void> =>
    runLimited(chunks(cells, PUT_CHUNK), CONCURRENCY, (chunk) => rest.put(table, chunk));

  const scanViews = (symbol: string, interval: RowInterval, from: number, to: number): Promise<HBaseCell[]> => {
    if (to <= from) return Promise.resolve([]);
    const range = viewRowRange(symbol, interval, from, to);
    return rest.scan(t.ohlcv, range.start, range.end);
  };

  return {
    tables: Object.values(t),

    async checkpoint(projector) {
      const cells = await rest.scan(t.checkpoints, projector, `${projector}\u0000`);
      const found = cells.find((c) => c.row === projector && c.column === 'p:position');
      return found === undefined ? 0 : Number(found.value);
    },

    async commit(projector, write, checkpoint) {
      const doomed = new Set<string>();
      for (const r of write.replace) {
        for (const interval of INTERVALS) for (const c of await scanViews(r.symbol, interval, r.from, r.to)) doomed.add(c.row);
      }
      if (doomed.size > 0) {
        await runLimited([...doomed], CONCURRENCY, (row) => rest.deleteRow(t.ohlcv, row));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const rows: HBaseCell[] = [
        ...write.minutes.map((m) => ({ row: viewRowKey(m.symbol, '1m', m.minute), column: `c:${m.exchange}`, value: JSON.stringify(storeSlot(m.slot)) })),
        ...write.candles.map((c) => ({
          row: viewRowKey(c.symbol, c.interval, c.candle.bucketStart),
          column: `c:${c.exchange}`,
          value: JSON.stringify(storeCandle(c.candle)),
        })),
      ];
      await putAll(t.ohlcv, rows);
      await putAll(
        t.views,
        write.meta.map((m) => ({
          row: metaRowKey(m.view, m.symbol),
          column: 'm:meta',
          value: JSON.stringify({ version: m.version, computedThrough: m.computedThrough, throughPosition: m.throughPosition }),
        })),
      );
      await rest.put(t.checkpoints, [{ row: projector, column: 'p:position', value: String(checkpoint) }]);
    },

    async minutes(symbol, from, to) {
      return (await scanViews(symbol, '1m', from, to)).map(
        (c): BatchMinuteRow => ({
          exchange: exchangeOf(c.column),
          symbol,
          minute: parseViewRowKey(c.row).bucketStart,
          slot: loadSlot(JSON.parse(c.value) as StoredSlot),
        }),
      );
    },

    async candles(symbol, interval, from, to) {
      return (await scanViews(symbol, interval, from, to)).map(
        (c): BatchCandleRow => ({ exchange: exchangeOf(c.column), symbol, interval, candle: loadCandle(JSON.parse(c.value) as StoredCandle) }),
      );
    },

    async meta(view, symbol) {
      const key = metaRowKey(view, symbol);
      const found = (await rest.scan(t.views, key, `${key}\u0000`)).find((c) => c.row === key);
      return found === undefined ? undefined : metaOf(view, symbol, found.value);
    },

    async allMeta(view) {
      const range = metaRowRange(view);
      return (await rest.scan(t.views, range.start, range.end)).map((c) => metaOf(view, c.row.slice(view.length + 1), c.value));
    },

    async close() {
      // Stateless over HTTP: nothing held open.
    },
  };
};

/**
 * A small typed promise API over the npm `hbase` REST client (untyped, callbacks). Everything
 * the HBase BatchStore does goes through here: tables, multi-row puts, row deletes and range
 * scans. Every call has a timeout; a write that timed out is reported as of unknown outcome,
 * because the REST gateway does not cancel it (it may still be applied minutes later), so the
 * caller must only ever write idempotently.
 */
import hbase, { type RestCell } from 'hbase';

export interface HBaseCell {
  readonly row: string;
  /** `family:qualifier` */
  readonly column: string;
  readonly value: string;
}

export interface HBaseRest {
  ensureTable(table: string, families: readonly string[]): Promise<void>;
  /** Disables and drops a table (tests, a full rebuild); one that does not exist counts as dropped. */
  dropTable(table: string): Promise<void>;
  /** Puts many cells in one request (rows may differ). */
  put(table: string, cells: readonly HBaseCell[]): Promise<void>;
  deleteRow(table: string, row: string): Promise<void>;
  /** Cells of rows with startRow ≤ row < endRow, in row then column order. */
  scan(table: string, startRow: string, endRow: string): Promise<HBaseCell[]>;
  /** True when the gateway answers and reaches the cluster. */
  ping(): Promise<boolean>;
}

export interface HBaseRestOptions {
  /** Base URL of the REST gateway, `http://127.0.0.1:18080`. */
  readonly url: string;
  readonly timeoutMs?: number;
}

/** After a failed create, how often and how far apart to look whether another process made the table. */
const CREATE_RACE_CHECKS = 10;
const CREATE_RACE_WAIT_MS = 500;

export class HBaseUnavailableError extends Error {
  override readonly name = 'HBaseUnavailableError';
}

export const isHBaseUnavailableError = (e: unknown): e is HBaseUnavailableError => e instanceof HBaseUnavailableError;

/** Cells per scanner fetch: large fetches are what make REST range scans fast. */
const SCAN_BATCH = 10_000;

const call = <T>(what: string, write: boolean, run: (cb: (error: (Error & { code?: number | string }) | null, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) =>
    run((error, value) => {
      if (error === null || error === undefined) return resolve(value);
      const transport = typeof error.code !== 'number';
      const detail = transport
        ? `${error.message}${write ? ' (outcome unknown: the gateway may still apply it; writes are idempotent, so retrying is safe)' : ''}`
        : `HTTP ${error.code}`;
      const message = `hbase ${what}: ${detail}`;
      // A transport failure or a 5xx means the gateway or the cluster is not serving.
      reject(transport || (typeof error.code === 'number' && error.code >= 500) ? new HBaseUnavailableError(message) : new Error(message));
    }),
  );

export const createHBaseRest = (options: HBaseRestOptions): HBaseRest => {
  const url = new URL(options.url);
  const client = hbase({
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    path: url.pathname === '/' ? '' : url.pathname,
    timeout: options.timeoutMs ?? 15_000,
  });

  const scan = async (table: string, startRow: string, endRow: string): Promise<HBaseCell[]> => {
    const scanner = new hbase.Scanner(client, { table, startRow, endRow, batch: SCAN_BATCH });
    await call(`scan ${table}`, false, (cb) => scanner.init(cb));
    const out: HBaseCell[] = [];
    try {
      for (;;) {
        const cells = await call<RestCell[] | undefined>(`scan ${table}`, false, (cb) => scanner.get(cb));
        if (cells === undefined || cells === null) break;
        for (const c of cells) out.push({ row: c.key, column: c.column, value: c.$ });
      }
    } finally {
      await call(`close scanner on ${table}`, false, (cb) => scanner.delete(cb)).catch(() => undefined);
    }
    return out;
  };

  return {
    async ensureTable(table, families) {
      const exists = await call(`exists ${table}`, false, (cb) => client.table(table).exists(cb));
      if (exists) return;
      await call(`create ${table}`, true, (cb) => client.table(table).create({ ColumnSchema: families.map((name) => ({ name })) }, cb)).catch(async (e: unknown) => {
        // Processes starting together each find the table missing and create it: the gateway answers
        // the later ones 304 (it exists) or 503 (the master is still creating it). Then it is there soon.
        for (let attempt = 0; attempt < CREATE_RACE_CHECKS; attempt++) {
          if (await call(`exists ${table}`, false, (cb) => client.table(table).exists(cb))) return;
          await new Promise((r) => setTimeout(r, CREATE_RACE_WAIT_MS));
        }
        throw e;
      });
    },
    async dropTable(table) {
      // Dropping what is not there is done already: a 404 is success.
      await call(`drop ${table}`, true, (cb) => client.table(table).delete(cb)).catch((e: unknown) => {
        if (!(e instanceof Error && / HTTP 404$/.test(e.message))) throw e;
      });
    },
    async put(table, cells) {
      if (cells.length === 0) return;
      const first = cells[0]!.row;
      await call(`put ${cells.length} cell(s) into ${table}`, true, (cb) =>
        client.table(table).row(first).put(cells.map((c) => ({ key: c.row, column: c.column, $: c.value })), cb),
      );
    },
    async deleteRow(table, row) {
      await call(`delete row of ${table}`, true, (cb) => client.table(table).row(row).delete(cb)).catch((e: unknown) => {
        // Deleting a row that is not there is what we wanted.
        if (e instanceof Error && / HTTP 404$/.test(e.message)) return;
        throw e;
      });
    },
    scan,
    async ping() {
      return call('version', false, (cb) => client.version_cluster(cb)).then(
        () => true,
        () => false,
      );
    },
  };
};

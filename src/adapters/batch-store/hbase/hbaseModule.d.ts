/** The parts of the untyped npm `hbase` REST client (callback style) that hbaseRest.ts uses. */
declare module 'hbase' {
  type Callback<T> = (error: (Error & { code?: number | string; body?: string }) | null, value: T) => void;

  export interface RestCell {
    key: string;
    column: string;
    $: string;
    timestamp?: number | string;
  }

  interface Row {
    put(cells: RestCell[], callback: Callback<boolean | null>): void;
    delete(callback: Callback<boolean | null>): void;
  }

  interface Table {
    create(schema: { ColumnSchema: Array<{ name: string }> }, callback: Callback<unknown>): void;
    exists(callback: Callback<boolean>): void;
    delete(callback: Callback<boolean | null>): void;
    row(key: string): Row;
  }

  interface ClientOptions {
    host: string;
    port: number | string;
    protocol?: 'http' | 'https';
    path?: string;
    /** Aborts a request after this many ms. */
    timeout?: number;
  }

  interface Client {
    table(name: string): Table;
    version_cluster(callback: Callback<unknown>): void;
  }

  interface ScannerOptions {
    table: string;
    startRow?: string;
    endRow?: string;
    /** Cells (not rows) per fetch. */
    batch?: number;
  }

  export class Scanner {
    constructor(client: Client, options: ScannerOptions);
    init(callback: Callback<string>): void;
    /** Resolves `undefined` cells once the scan is exhausted (HTTP 204). */
    get(callback: Callback<RestCell[] | undefined>): void;
    delete(callback: Callback<unknown>): void;
  }

  interface HBase {
    (options: ClientOptions): Client;
    Scanner: typeof Scanner;
  }

  const hbase: HBase;
  export default hbase;
}

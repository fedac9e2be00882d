/**
 * The SQLite ledger's writer thread. Inserting rows and waiting for the commit's fsync are the
 * largest costs of an append; doing them on a worker thread lets the main thread validate, hash
 * and project the next batch meanwhile. The main thread decides everything (positions, hashes,
 * which events are duplicates); the writer only stores sealed rows, in order, one transaction
 * per batch, and refuses a batch that does not start exactly at the stored head, so a failed
 * batch can never leave a later one written on top of a hole.
 *
 * The worker's program is plain JavaScript evaluated in the worker (`eval: true`): it then runs
 * the same way from the compiled build, under tsx and under the test runner, with no loader.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** One event row, in INSERT_EVENT's column order. */
export type EventRowValues = readonly [
  position: number,
  id: string,
  type: string,
  schemaVersion: number,
  stream: string,
  streamVersion: number,
  data: string,
  meta: string,
  dedupKey: string | null,
  recordedAt: number,
  prevHash: string,
  hash: string,
];

export interface WriterBatch {
  /** The stored head this batch continues: the writer refuses it when the head is elsewhere. */
  readonly after: number;
  readonly rows: readonly EventRowValues[];
  /** New version of every stream the batch touches. */
  readonly streams: ReadonlyArray<readonly [stream: string, version: number]>;
}

export interface LedgerWriter {
  /** Resolves once the batch is committed (durably, per the synchronous setting); rejects with why not. */
  write(batch: WriterBatch): Promise<void>;
  close(): Promise<void>;
}

const WRITER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 5000');
const insert = db.prepare(workerData.insertSql);
const upsertStream = db.prepare(workerData.upsertStreamSql);
const storedHead = db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').pluck();
const write = db.transaction((batch) => {
  const head = storedHead.get();
  if (head !== batch.after) throw new Error('batch continues position ' + batch.after + ' but the stored head is ' + head);
  for (const row of batch.rows) {
    if (insert.run(...row).changes !== 1) throw new Error('position ' + row[0] + ': dedup key ' + row[8] + ' is already stored');
  }
  for (const [stream, version] of batch.streams) upsertStream.run(stream, version);
});
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    write(m.batch);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
`;

export interface LedgerWriterOptions {
  readonly path: string;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly insertSql: string;
  readonly upsertStreamSql: string;
}

export const startLedgerWriter = (options: LedgerWriterOptions): LedgerWriter => {
  const worker = new Worker(WRITER_PROGRAM, {
    eval: true,
    workerData: { ...options, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let broken: Error | undefined;
  let onClosed: (() => void) | undefined;

  const fail = (e: Error): void => {
    broken = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
    onClosed?.();
  };
  worker.on('message', (m: { id?: number; error?: string; closed?: boolean }) => {
    if (m.closed === true) return onClosed?.();
    const w = waiting.get(m.id!);
    if (w === undefined) return;
    waiting.delete(m.id!);
    if (m.error === undefined) w.resolve();
    else w.reject(new Error(`ledger write failed: ${m.error}`));
  });
  worker.on('error', (e) => fail(new Error(`the ledger writer thread failed: ${e.message}`)));
  worker.on('exit', (code) => {
    if (broken === undefined && code !== 0) fail(new Error(`the ledger writer thread exited with code ${code}`));
  });

  return {
    write(batch) {
      if (broken !== undefined) return Promise.reject(broken);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, batch });
      });
    },
    async close() {
      if (broken === undefined) {
        await new Promise<void>((resolve) => {
          onClosed = resolve;
          worker.postMessage({ close: true });
        });
      }
      await worker.terminate();
    },
  };
};

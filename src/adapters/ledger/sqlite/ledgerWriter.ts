/**
 * The SQLite ledger's writer thread. Inserting rows and waiting for the commit's fsync are the
 * largest costs of an append; doing them on a worker thread lets the main thread validate, hash
 * and project the next batch meanwhile. The main thread decides everything (positions, leaf
 * hashes, tiles, the signed checkpoint, which events are duplicates); the writer only stores
 * them, in order, one transaction per batch, and refuses a batch that does not start exactly at
 * the stored head, so a failed batch can never leave a later one written on top of a hole, and
 * no checkpoint is stored that does not extend the one before.
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
  leafHash: Uint8Array,
];

export type TileValues = readonly [level: number, index: number, hash: Uint8Array];

export type CheckpointValues = readonly [size: number, root: Uint8Array, time: number, note: string];

export interface WriterBatch {
  /** The stored head this batch continues: the writer refuses it when the head is elsewhere. */
  readonly after: number;
  readonly rows: readonly EventRowValues[];
  /** New version of every stream the batch touches. */
  readonly streams: ReadonlyArray<readonly [stream: string, version: number]>;
  /** The subtrees the batch completes, and the signed checkpoint of the tree after it. */
  readonly tiles: readonly TileValues[];
  readonly checkpoint: CheckpointValues;
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
const insert = db.prepare(workerData.sql.insertEvent);
const insertTile = db.prepare(workerData.sql.insertTile);
const insertCheckpoint = db.prepare(workerData.sql.insertCheckpoint);
const upsertStream = db.prepare(workerData.sql.upsertStream);
const storedHead = db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').pluck();
// Hashes arrive as Uint8Array (what a Buffer becomes between threads); the driver binds Buffers.
const blob = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const write = db.transaction((batch) => {
  const head = storedHead.get();
  if (head !== batch.after) throw new Error('batch continues position ' + batch.after + ' but the stored head is ' + head);
  for (const row of batch.rows) {
    row[10] = blob(row[10]);
    if (insert.run(...row).changes !== 1) throw new Error('position ' + row[0] + ': dedup key ' + row[8] + ' is already stored');
  }
  for (const [level, idx, hash] of batch.tiles) insertTile.run(level, idx, blob(hash));
  const [size, root, time, note] = batch.checkpoint;
  insertCheckpoint.run(size, blob(root), time, note);
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
  readonly sql: { readonly insertEvent: string; readonly insertTile: string; readonly insertCheckpoint: string; readonly upsertStream: string };
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

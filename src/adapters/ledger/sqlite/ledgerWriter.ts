/**
 * The SQLite ledger's writer thread. Compressing a block, inserting it with its index rows and
 * waiting for the commit's fsync are the largest costs of an append after sealing; doing them on
 * a worker thread lets the main thread decide, seal and project the next group meanwhile. The
 * main thread decides everything (positions, leaves, tiles, the signed checkpoint, which events
 * are duplicates) and hands over the block's uncompressed frames (transferred, not copied); the
 * writer stores them, in order, one transaction per block, and refuses a block that does not
 * start exactly at the stored head, so a failed block can never leave a later one written on top
 * of a hole, and no checkpoint is stored that does not extend the one before.
 *
 * The worker's program is plain JavaScript evaluated in the worker (`eval: true`): it then runs
 * the same way from the compiled build, under tsx and under the test runner, with no loader.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BLOCK_DEFLATE_LEVEL } from '../blocks/blockCodec.js';
import { FRAMED_BLOCK_LAYOUT } from '../blocks/framedBlock.js';
import type { LaidOutBlock } from '../blocks/blockLayout.js';
import { WRITER_SQL } from './schema.js';

export type TileValues = readonly [level: number, index: number, hash: Uint8Array];

export type CheckpointValues = readonly [size: number, root: Uint8Array, time: number, note: string];

/** A laid-out block (its leaves stay on the main thread) with its place, tiles and checkpoint. */
export interface WriterBlock extends Omit<LaidOutBlock, 'leaves'> {
  /** Position of the block's first event: the writer refuses it unless the stored head is first − 1. */
  readonly first: number;
  readonly recordedAt: number;
  /** The subtrees the block completes, and the signed checkpoint of the tree after it. */
  readonly tiles: readonly TileValues[];
  readonly checkpoint: CheckpointValues;
}

export interface LedgerWriter {
  /** Resolves with the stored block's size in bytes once it is committed (durably, per the synchronous setting); rejects with why not. */
  write(block: WriterBlock): Promise<number>;
  close(): Promise<void>;
}

const WRITER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const { crc32, deflateRawSync } = require('node:zlib');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('busy_timeout = 5000');
const sql = {};
for (const [name, text] of Object.entries(workerData.sql)) sql[name] = db.prepare(text);
sql.storedHead.pluck();
sql.streamId.pluck();
const streamIds = new Map();
const streamIdOf = (name) => {
  let id = streamIds.get(name);
  if (id === undefined) {
    sql.insertStream.run(name);
    id = sql.streamId.get(name);
    streamIds.set(name, id);
  }
  return id;
};
// Hashes and bodies arrive as Uint8Array (what a Buffer becomes between threads); the driver binds Buffers.
const blob = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
// compressBlock (blocks/framedBlock.ts), step for step: each section of the plan deflated on its
// own, the frames with the head as preset dictionary; its stored length and crc32 into the table.
const compressBlock = (plan) => {
  const sections = plan.readUInt32BE(workerData.frames.sectionCountAt);
  const table = Buffer.from(plan.subarray(0, workerData.frames.tableAt + sections * workerData.frames.entryBytes));
  const parts = [table];
  let at = table.length;
  let dictionary;
  for (let i = 0; i < sections; i++) {
    const entry = workerData.frames.tableAt + i * workerData.frames.entryBytes;
    const raw = plan.subarray(at, (at += plan.readUInt32BE(entry + 4)));
    const stored = deflateRawSync(raw, dictionary === undefined ? { level: workerData.level } : { level: workerData.level, dictionary });
    dictionary ??= raw;
    table.writeUInt32BE(stored.length, entry + 4);
    table.writeUInt32BE(crc32(stored), entry + 8);
    parts.push(stored);
  }
  return Buffer.concat(parts);
};
const write = db.transaction((b) => {
  const head = sql.storedHead.get();
  if (head !== b.first - 1) throw new Error('block continues position ' + (b.first - 1) + ' but the stored head is ' + head);
  const body = compressBlock(blob(b.raw));
  sql.insertBlock.run(b.first, b.count, b.recordedAt, b.types.join('\\n'), body);
  for (const ms of b.idTimes) sql.insertIdTime.run(ms, b.first);
  for (const [scope, lo, hi] of b.ranges) sql.insertRange.run(scope, lo, hi, b.first);
  for (const h of b.keyHashes) sql.insertKey.run(h, b.first);
  for (const [stream, version] of b.streams) sql.insertStreamBlock.run(streamIdOf(stream), b.first, version);
  for (const [level, idx, hash] of b.tiles) sql.insertTile.run(level, idx, blob(hash));
  const [size, root, time, note] = b.checkpoint;
  sql.insertCheckpoint.run(size, blob(root), time, note);
  return body.length;
});
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, bytes: write(m.block) });
  } catch (e) {
    // A failed transaction may leave a stream id cached that was rolled back.
    streamIds.clear();
    parentPort.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
`;

export interface LedgerWriterOptions {
  readonly path: string;
  readonly synchronous: 'FULL' | 'NORMAL';
}

export const startLedgerWriter = (options: LedgerWriterOptions): LedgerWriter => {
  const worker = new Worker(WRITER_PROGRAM, {
    eval: true,
    workerData: { ...options, sql: WRITER_SQL, level: BLOCK_DEFLATE_LEVEL, frames: FRAMED_BLOCK_LAYOUT, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  const waiting = new Map<number, { resolve: (bytes: number) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let broken: Error | undefined;
  let onClosed: (() => void) | undefined;

  const fail = (e: Error): void => {
    broken = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
    onClosed?.();
  };
  worker.on('message', (m: { id?: number; bytes?: number; error?: string; closed?: boolean }) => {
    if (m.closed === true) return onClosed?.();
    const w = waiting.get(m.id!);
    if (w === undefined) return;
    waiting.delete(m.id!);
    if (m.error === undefined) w.resolve(m.bytes!);
    else w.reject(new Error(`ledger write failed: ${m.error}`));
  });
  worker.on('error', (e) => fail(new Error(`the ledger writer thread failed: ${e.message}`)));
  worker.on('exit', (code) => {
    if (broken === undefined && code !== 0) fail(new Error(`the ledger writer thread exited with code ${code}`));
  });

  return {
    write(block) {
      if (broken !== undefined) return Promise.reject(broken);
      const id = nextId++;
      return new Promise<number>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, block }, [block.raw.buffer as ArrayBuffer, block.keyHashes.buffer as ArrayBuffer]);
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

/** The SQLite BatchStore against the BatchStore contract, plus what only this adapter promises. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteBatchStore } from '../../../src/adapters/batch-store/sqlite/sqliteBatchStore.js';
import type { BatchCandleRow, BatchStore } from '../../../src/domain/ports.js';
import { batchStoreContract } from '../../contracts/batchStore.contract.js';
import { minute, tradeSlot } from '../../support/candles.js';

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'tickvault-batch-'));

batchStoreContract('sqlite', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'batch.sqlite');
  let store: BatchStore = openSqliteBatchStore({ path: file });
  return {
    store,
    async reopen() {
      await store.close();
      store = openSqliteBatchStore({ path: file });
      return store;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite BatchStore', () => {
  const dirs: string[] = [];
  const open = (): { store: BatchStore; file: string } => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'batch.sqlite');
    return { store: openSqliteBatchStore({ path: file }), file };
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('rolls a failing commit back whole: no deletes, no puts, no checkpoint', async () => {
    const { store } = open();
    const row = { exchange: 'binance', symbol: 'BTC-USDT', minute: minute(0), slot: tradeSlot(minute(0)) };
    await store.commit('batch', { replace: [], minutes: [row], candles: [], meta: [] }, 1);
    // An interval the schema refuses makes the last put of the transaction fail.
    const bad = { exchange: 'binance', symbol: 'BTC-USDT', interval: '5m', candle: { bucketStart: minute(0) } } as unknown as BatchCandleRow;
    const good = { exchange: 'binance', symbol: 'BTC-USDT', minute: minute(1), slot: tradeSlot(minute(1)) };
    await expect(
      store.commit('batch', { replace: [{ symbol: 'BTC-USDT', from: minute(0), to: minute(5) }], minutes: [good], candles: [bad], meta: [] }, 2),
    ).rejects.toThrow();
    expect((await store.minutes('BTC-USDT', minute(0), minute(5))).map((r) => r.minute)).toEqual([minute(0)]);
    expect(await store.checkpoint('batch')).toBe(1);
    await store.close();
  });

  it('uses WAL and refuses a file with another schema version', async () => {
    const { store, file } = open();
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteBatchStore({ path: file })).toThrow(/schema version 99/);
  });

  it('close is idempotent', async () => {
    const { store } = open();
    await store.close();
    await store.close();
  });
});

/**
 * The meta-caching batch store (used over HBase on the cluster profile) against the BatchStore
 * contract, over SQLite, plus what it adds: meta served from memory, forgotten on every commit
 * through it and on invalidateMeta, and re-read from the store in each new maxAgeMs slice of time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withMetaCache } from '../../../src/app/profiles/batchMetaCache.js';
import { openSqliteBatchStore } from '../../../src/adapters/batch-store/sqlite/sqliteBatchStore.js';
import type { BatchStore, BatchViewMeta } from '../../../src/domain/ports.js';
import { batchStoreContract } from '../../contracts/batchStore.contract.js';

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'tickvault-meta-cache-'));
const EMPTY = { replace: [], minutes: [], candles: [] };
const meta = (version: number): BatchViewMeta => ({ view: 'ohlcv', symbol: 'BTC-USDT', version, computedThrough: version * 60_000, throughPosition: version });

batchStoreContract('sqlite behind the meta cache', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'batch.sqlite');
  const cached = (): BatchStore => withMetaCache(openSqliteBatchStore({ path: file }), { maxAgeMs: 60_000, now: Date.now });
  let store = cached();
  return {
    store,
    async reopen() {
      await store.close();
      store = cached();
      return store;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('meta cache', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const setup = () => {
    const dir = tempDir();
    const file = path.join(dir, 'batch.sqlite');
    const inner = openSqliteBatchStore({ path: file });
    // Another process's writes: a second store on the same file, around the cache.
    const around = openSqliteBatchStore({ path: file });
    let now = 1_000;
    let reads = 0;
    const counted: BatchStore = { ...inner, meta: (v, s) => (reads++, inner.meta(v, s)) };
    const store = withMetaCache(counted, { maxAgeMs: 1_000, now: () => now });
    cleanups.push(async () => {
      await store.close();
      await around.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { store, around, reads: () => reads, advance: (ms: number) => void (now += ms) };
  };

  it('reads the store once for repeated queries, and again after a commit through it', async () => {
    const s = setup();
    await s.store.commit('batch', { ...EMPTY, meta: [meta(1)] }, 1);
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(1);
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(1);
    expect(s.reads()).toBe(1);
    await s.store.commit('batch', { ...EMPTY, meta: [meta(2)] }, 2);
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(2);
    expect(s.reads()).toBe(2);
  });

  it('shows a write made around it after invalidateMeta, or once its entry is maxAgeMs old', async () => {
    const s = setup();
    await s.store.commit('batch', { ...EMPTY, meta: [meta(1)] }, 1);
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(1);
    await s.around.commit('batch', { ...EMPTY, meta: [meta(2)] }, 2);
    s.advance(999);
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(1);
    s.advance(1);
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(2);
    await s.around.commit('batch', { ...EMPTY, meta: [meta(3)] }, 3);
    s.store.invalidateMeta?.();
    expect((await s.store.meta('ohlcv', 'BTC-USDT'))?.version).toBe(3);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const inner = openSqliteBatchStore({ path: path.join(tempDir(), 'batch.sqlite') });
    cleanups.push(() => inner.close());
    const flaky: BatchStore = { ...inner, meta: (v, s) => (fail ? Promise.reject(new Error('HBase down')) : inner.meta(v, s)) };
    const store = withMetaCache(flaky, { maxAgeMs: 60_000, now: Date.now });
    await expect(store.meta('ohlcv', 'BTC-USDT')).rejects.toThrow('HBase down');
    fail = false;
    await expect(store.meta('ohlcv', 'BTC-USDT')).resolves.toBeUndefined();
  });
});

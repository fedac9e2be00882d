/**
 * The SnapshotStore contract: every adapter (SQLite, PostgreSQL) runs these same tests, written
 * only against the port. `make` returns a fresh, empty store; `reopen` closes it and opens a new
 * one on the same data; `cleanup` closes whatever is open and removes the data.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotStore, StoredSnapshot } from '../../src/domain/ports.js';

export interface SnapshotStoreHarness {
  readonly store: SnapshotStore;
  readonly reopen: () => Promise<SnapshotStore>;
  cleanup(): Promise<void>;
}

const snapshot = (checkpoint: number, state = `state-${checkpoint}`): StoredSnapshot => ({ checkpoint, checkpointHash: `h${checkpoint}`, version: 1, state });

export const snapshotStoreContract = (name: string, make: () => Promise<SnapshotStoreHarness>): void => {
  describe(`SnapshotStore contract: ${name}`, () => {
    let h: SnapshotStoreHarness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('has nothing under a name never saved', async () => {
      expect(await h.store.load('alert-engine')).toBeUndefined();
    });

    it('gives back exactly what was saved, and a later save replaces it', async () => {
      await h.store.save('alert-engine', snapshot(10));
      expect(await h.store.load('alert-engine')).toEqual(snapshot(10));
      await h.store.save('alert-engine', { ...snapshot(25), version: 3 });
      expect(await h.store.load('alert-engine')).toEqual({ ...snapshot(25), version: 3 });
    });

    it('keeps names apart', async () => {
      await h.store.save('a/p0', snapshot(1));
      await h.store.save('a/p1', snapshot(2));
      expect(await h.store.load('a/p0')).toEqual(snapshot(1));
      expect(await h.store.load('a/p1')).toEqual(snapshot(2));
      expect(await h.store.load('a')).toBeUndefined();
    });

    it('keeps any text to the character, large ones included, across a reopen', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !s.includes('\u0000')), fc.nat({ max: 2 ** 40 }), async (state, checkpoint) => {
          await h.store.save('text', snapshot(checkpoint, state));
          expect(await h.store.load('text')).toEqual(snapshot(checkpoint, state));
        }),
        { numRuns: 40 },
      );
      const big = JSON.stringify(Array.from({ length: 200_000 }, (_, i) => [i, `e-${i}`, 'binance', 100.5 + i]));
      await h.store.save('big', snapshot(2 ** 40, big));
      const reopened = await h.reopen();
      expect(await reopened.load('big')).toEqual(snapshot(2 ** 40, big));
    });

    it('a reader during saves sees one whole snapshot or the next, never a mix', async () => {
      await h.store.save('race', snapshot(0));
      const reads: Array<Promise<StoredSnapshot | undefined>> = [];
      const writes: Array<Promise<void>> = [];
      for (let i = 1; i <= 30; i++) {
        writes.push(h.store.save('race', snapshot(i, `state-${i}-${'x'.repeat(i * 1_000)}`)));
        reads.push(h.store.load('race'));
      }
      await Promise.all(writes);
      for (const r of await Promise.all(reads)) {
        const i = r!.checkpoint;
        expect(r).toEqual(i === 0 ? snapshot(0) : snapshot(i, `state-${i}-${'x'.repeat(i * 1_000)}`));
      }
      expect(await h.store.load('race')).toEqual(snapshot(30, `state-30-${'x'.repeat(30_000)}`));
    });
  });
};

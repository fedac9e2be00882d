/**
 * Dedup in the block ledger (dedupMarks.ts): numbered keys above their scope's high-water mark
 * are taken without a lookup, the rest are probed. Against a plain model (a key is taken the
 * first time it is offered, never again): duplicates across blocks, across close and reopen,
 * keys out of order, below the mark, not numbered, or with leading zeros; and every taken key
 * found again by findByDedupKey, every id by findById.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import type { NewEvent } from '../../../src/domain/events/envelope.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

const uuids = createUuidV7Generator();
let made = 0;
const trade = (key: string): NewEvent => ({
  // Both kinds of id: the platform's UUIDv7 and any other string.
  id: ++made % 2 === 0 ? uuids.next() : `plain-${process.pid}-${made}`,
  type: 'TradeObserved',
  schemaVersion: 1,
  stream: `trades/${key.split('/')[1]}`,
  data: { key },
  meta: { actor: 'a', correlationId: 'c', causationId: null, source: 't' },
  dedupKey: key,
});

const withLedgerFile = async (f: (file: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-dedup-'));
  try {
    await f(path.join(dir, 'ledger.sqlite'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const key = fc.oneof(
  fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 40 })).map(([s, n]) => `trade/${s}/${n}`),
  fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 9 })).map(([s, n]) => `trade/${s}/0${n}`),
  fc.constantFrom('trade/x/abc', 'gap/x/1-2', 'trade/y/9007199254740993', 'plain'),
);
/** A step: a batch of keys, or close and reopen the ledger. */
const step = fc.oneof({ weight: 5, arbitrary: fc.array(key, { minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: fc.constant('reopen' as const) });

describe('sqlite ledger dedup', () => {
  it('property: takes each key once across blocks, reopens, out-of-order and unnumbered keys; finds every key and id again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) =>
        withLedgerFile(async (file) => {
          const open = () => openSqliteLedger({ path: file, clock: systemClock, signer: TEST_LEDGER_SIGNER });
          let ledger = open();
          const taken = new Map<string, string>();
          try {
            for (const s of steps) {
              if (s === 'reopen') {
                await ledger.close();
                ledger = open();
                continue;
              }
              const expected = s.filter((k, i) => !taken.has(k) && s.indexOf(k) === i);
              const r = await ledger.append(s.map(trade));
              expect(r.appended.map((e) => e.dedupKey)).toEqual(expected);
              expect(r.duplicates.length).toBe(s.length - expected.length);
              for (const e of r.appended) taken.set(e.dedupKey!, e.id);
            }
            for (const [k, id] of taken) {
              expect((await ledger.findByDedupKey(k))?.id).toBe(id);
              expect((await ledger.findById(id))?.dedupKey).toBe(k);
            }
            expect(await ledger.findByDedupKey('trade/x/41')).toBeUndefined();
            expect((await ledger.verify()).ok).toBe(true);
          } finally {
            await ledger.close();
          }
        }),
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

/**
 * The consumer-group engine's "folded through" answer against a model: every trade up to the
 * target that belongs to an owned partition has its alerts recorded. Asked repeatedly while the
 * partitions' recorded positions move on, as waitFor does, so the answer's memory of where its
 * last look stopped is held to the model too.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../../../src/adapters/system/systemClock.js';
import type { RecordedEvent } from '../../../../src/domain/events/envelope.js';
import type { Ledger } from '../../../../src/domain/ports.js';
import { createFoldedThrough } from '../../../../src/projections/alerts/partitioned/foldedThrough.js';
import { keyOf, TOPICS, topicOf } from '../../../../src/projections/relay/topics.js';
import { rejectedEvent, RELAY_SYMBOLS, tradeEvents } from '../../../support/newEvents.js';
import { TEST_LEDGER_SIGNER } from '../../../support/ledgerSigner.js';

const PARTITIONS = 3;
/** A symbol's partition: any fixed function will do; the answer must only ask, never assume. */
const partitionOfKey = (key: string): number => RELAY_SYMBOLS.indexOf(key) % PARTITIONS;

describe('folded through (consumer-group waitFor)', () => {
  let dir: string;
  let ledger: Ledger;
  let events: RecordedEvent[];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tv-folded-through-'));
    ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    // Trades with events of other topics between them, which no partition holds.
    for (let i = 0; i < 6; i++) {
      await ledger.append(tradeEvents(i * 10, 10));
      await ledger.append([rejectedEvent(`between ${i}`)]);
    }
    events = await ledger.read(0, 1_000);
  });
  afterAll(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers exactly whether every owned trade through the target is recorded, however often it is asked', async () => {
    const head = () => events[events.length - 1]!.position;
    const step = fc.record({
      partition: fc.nat(PARTITIONS - 1),
      advance: fc.nat(6),
      target: fc.integer({ min: 1, max: 66 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.subarray([0, 1, 2]), fc.array(step, { minLength: 1, maxLength: 40 }), async (ownedList, steps) => {
        const owned = new Set(ownedList);
        const recorded = new Map<number, number>();
        const answer = createFoldedThrough({
          ledger,
          topic: TOPICS.pricesRaw,
          partitionOf: async (key) => partitionOfKey(key),
          recorded: (p) => recorded.get(p) ?? 0,
        });
        answer.assigned(owned);
        for (const s of steps) {
          // A partition's recorded position only moves on (its messages come in ledger order).
          recorded.set(s.partition, Math.min(head(), (recorded.get(s.partition) ?? 0) + s.advance));
          const target = Math.min(s.target, head());
          const expected =
            owned.size > 0 &&
            events.every((e) => e.position > target || topicOf(e) !== TOPICS.pricesRaw || !owned.has(partitionOfKey(keyOf(e))) || (recorded.get(partitionOfKey(keyOf(e))) ?? 0) >= e.position);
          expect(await answer.check(target)).toBe(expected);
        }
      }),
      // Once found: a look stopped at an unfolded trade past a later, smaller target still answered false for it.
      { examples: [[[1], [{ partition: 1, advance: 3, target: 1 }, { partition: 1, advance: 5, target: 1 }, { partition: 0, advance: 0, target: 12 }, { partition: 0, advance: 0, target: 11 }]]] },
    );
  });
});

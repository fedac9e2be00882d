/**
 * The floor under a recorded answer: one PredictionMade-sized event appended to a fresh SQLite
 * ledger (synchronous=FULL, as the platform's) every 1/rate s, open loop, with nothing else on
 * the event loop. Each latency runs from the moment the append was due to its commit (fsync
 * included), so the disk's own tail shows beside the prediction endpoint's, which waits for the
 * same commit before it answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../src/adapters/system/systemClock.js';
import { createUuidV7Generator } from '../../src/adapters/system/uuidv7.js';
import { newEvent } from '../../src/commands/commandContext.js';
import type { PredictionMadeData } from '../../src/domain/events/models.js';
import { predictionStream } from '../../src/domain/streams.js';
import { TEST_LEDGER_SIGNER } from '../../test/support/ledgerSigner.js';

const origin = { actor: 'bench', correlationId: 'bench-durable-appends', source: 'bench' };

export const durableAppends = async (o: { rate: number; durationS: number; data: PredictionMadeData }): Promise<Float64Array> => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-bench-appends-'));
  const ledger = openSqliteLedger({ path: path.join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
  const ids = createUuidV7Generator();
  const latency = new Float64Array(Math.round(o.rate * o.durationS)).fill(Number.NaN);
  try {
    const pending: Array<Promise<void>> = [];
    const start = performance.now();
    for (let i = 0; i < latency.length; i++) {
      const due = start + (i * 1_000) / o.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const event = newEvent(ids.next(), 'PredictionMade', predictionStream(o.data.symbol), { ...o.data, predictionId: ids.next() }, origin);
      pending.push(ledger.append([event]).then(() => void (latency[i] = performance.now() - due)));
    }
    await Promise.all(pending);
  } finally {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return latency;
};

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsJsonLines, exportLedgerJsonLines } from '../../../src/adapters/lake/ledgerJsonLines.js';
import { openSqliteLedger } from '../../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { createAlertSubscriptionDecider } from '../../../src/commands/createAlertSubscription.js';
import { tradeEvents } from '../../support/newEvents.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

describe('ledger → JSON lines export', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes every event, a webhook subscription without its secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-lake-'));
    dirs.push(dir);
    const ledger = openSqliteLedger({ path: join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    const secret = 'lake-export-secret-0123456789';
    let n = 0;
    const [sub] = createAlertSubscriptionDecider.decide(
      { data: { url: 'http://127.0.0.1:9/hook', secret }, metadata: { origin: { actor: 'test', correlationId: 'c', source: 'test' }, now: 0, nextId: () => `sub-${++n}` } },
      createAlertSubscriptionDecider.initialState(),
    );
    await ledger.append([...tradeEvents(0, 3), sub!]);
    const file = join(dir, 'events.jsonl');
    const r = await exportLedgerJsonLines(ledger, file);
    await ledger.close();
    const text = readFileSync(file, 'utf8');
    expect(r.exported).toBe(4);
    expect(text).not.toContain(secret);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
    expect(lines.map((l) => l.type)).toEqual(['TradeObserved', 'TradeObserved', 'TradeObserved', 'AlertSubscriptionCreated']);
    expect(lines[3]!.data).toEqual({ subscriptionId: 'sub-1', url: 'http://127.0.0.1:9/hook', filter: {} });
  });

  it('streams events already read as the same lines the export writes, across chunks of 5,000', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tv-lake-'));
    dirs.push(dir);
    const ledger = openSqliteLedger({ path: join(dir, 'ledger.sqlite'), clock: systemClock, signer: TEST_LEDGER_SIGNER });
    const [sub] = createAlertSubscriptionDecider.decide(
      { data: { url: 'http://127.0.0.1:9/hook', secret: 'stream-secret-0123456789abcdef' }, metadata: { origin: { actor: 'test', correlationId: 'c', source: 'test' }, now: 0, nextId: () => 'sub-1' } },
      createAlertSubscriptionDecider.initialState(),
    );
    await ledger.append([...tradeEvents(0, 10_001), sub!]);
    const file = join(dir, 'events.jsonl');
    await exportLedgerJsonLines(ledger, file);
    const events = await ledger.read(0, 20_000);
    await ledger.close();
    let streamed = '';
    for await (const chunk of eventsJsonLines(events)) streamed += String(chunk);
    expect(streamed.split('\n').length).toBe(10_003);
    expect(streamed).toBe(readFileSync(file, 'utf8'));
  });
});

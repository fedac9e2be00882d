/**
 * The key list names each key's KeyIssued event (and, once revoked, its KeyRevoked event) by
 * ledger position, and those positions are the events' own: the inclusion proof at each carries
 * that very event. A revocation of a key that was never issued names nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import type { NewEvent } from '../../src/domain/events/envelope.js';
import type { Ledger } from '../../src/domain/ports.js';
import { API_KEY_STREAM } from '../../src/domain/streams.js';
import { createApiKeyBook } from '../../src/read-models/apiKeyBook.js';
import { TEST_LEDGER_SIGNER } from '../support/ledgerSigner.js';
import { provenEventAt } from '../support/provenEvent.js';

const origin = { actor: 'test', correlationId: 'c', causationId: null, source: 'test' };
let n = 0;
const keyEvent = (type: 'KeyIssued' | 'KeyRevoked', keyId: string, name: string): NewEvent => ({
  id: `key-event-${++n}`,
  type,
  schemaVersion: 1,
  stream: API_KEY_STREAM,
  data: type === 'KeyIssued' ? { keyId, name, role: 'viewer', keyHash: `hash-of-${keyId}` } : { keyId, name, role: 'viewer', reason: 'test' },
  meta: origin,
});
const trade: NewEvent = { id: 'a-trade', type: 'TradeObserved', schemaVersion: 1, stream: 'trades/binance/BTC-USDT/2024-01-01', meta: origin,
  data: { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1', price: '1', quantity: '1', side: 'buy', eventTime: 1_704_067_200_000 } };

let ledger: Ledger | undefined;
afterEach(async () => {
  await ledger?.close();
});

describe('API key book', () => {
  it('lists each key with the positions of its KeyIssued and KeyRevoked events, and the proofs at them carry those events', async () => {
    ledger = openSqliteLedger({ path: ':memory:', clock: { now: () => 1_000 }, signer: TEST_LEDGER_SIGNER });
    // Other events between them, so a position counted within the key stream would be wrong.
    await ledger.append([trade, keyEvent('KeyIssued', 'k1', 'desk')]);
    await ledger.append([keyEvent('KeyIssued', 'k2', 'ops'), keyEvent('KeyRevoked', 'k-never-issued', 'ghost')]);
    await ledger.append([{ ...trade, id: 'b-trade', data: { ...(trade.data as object), tradeId: '2' } }, keyEvent('KeyRevoked', 'k1', 'desk')]);
    const book = createApiKeyBook(ledger);
    await book.refresh();
    const listed = book.list();
    expect(listed.map((k) => [k.keyId, k.revoked, k.position, k.revokedPosition])).toEqual([
      ['k1', true, 2, 6],
      ['k2', false, 3, null],
    ]);
    for (const k of listed) {
      const issued = await provenEventAt(ledger, k.position);
      expect([issued.type, issued.data['keyId']]).toEqual(['KeyIssued', k.keyId]);
      if (k.revokedPosition !== null) {
        const revoked = await provenEventAt(ledger, k.revokedPosition);
        expect([revoked.type, revoked.data['keyId']]).toEqual(['KeyRevoked', k.keyId]);
      }
    }
  });
});

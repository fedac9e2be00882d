/** A placeholder recorded event at a position, for tests of ledger plumbing that only care about positions. */
import type { RecordedEvent } from '../../src/domain/events/envelope.js';

export const eventAt = (position: number): RecordedEvent => ({
  position,
  id: `e${position}`,
  type: 'TradeObserved',
  schemaVersion: 1,
  stream: 's',
  streamVersion: position,
  data: {},
  meta: { recordedAt: 0, actor: 'a', correlationId: 'c', causationId: null, source: 't' },
  dedupKey: null,
  leafHash: '',
});

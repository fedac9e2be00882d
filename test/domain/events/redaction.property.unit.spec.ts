import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../src/domain/events/envelope.js';
import { redactSecrets } from '../../../src/domain/events/redaction.js';

const recorded = (type: string, data: unknown): RecordedEvent => ({
  position: 1,
  id: 'e1',
  type,
  schemaVersion: 1,
  stream: 's',
  streamVersion: 1,
  data,
  meta: { actor: 'a', correlationId: 'c', causationId: null, source: 't', recordedAt: 1_704_067_200_000 },
  dedupKey: null,
  leafHash: 'f'.repeat(64),
});

describe('redactSecrets', () => {
  it('drops a subscription secret and keeps every other field and the envelope', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.webUrl(), (secret, url) => {
        const event = recorded('AlertSubscriptionCreated', { subscriptionId: 'sub', url, secret, filter: { severities: ['critical'] } });
        const out = redactSecrets(event);
        expect(out.data).toEqual({ subscriptionId: 'sub', url, filter: { severities: ['critical'] } });
        expect({ ...out, data: null }).toEqual({ ...event, data: null });
        expect((event.data as { secret: string }).secret).toBe(secret);
      }),
    );
  });

  it('returns events without secrets unchanged (the same object)', () => {
    fc.assert(
      fc.property(fc.constantFrom('TradeObserved', 'AlertRaised', 'InputRejected'), fc.object(), (type, data) => {
        const event = recorded(type, data);
        expect(redactSecrets(event)).toBe(event);
      }),
    );
  });
});

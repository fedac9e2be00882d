/** RevokeApiKey decisions, given / when / then: a key is revoked once, an unknown one is not found, and the last active admin key is never revoked. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revokeApiKeyDecider } from '../../src/commands/revokeApiKey.js';
import type { Fact } from '../../src/domain/decider.js';
import type { Role } from '../../src/domain/access/roles.js';
import { CommandRejectedError, NotFoundError } from '../../src/domain/errors.js';
import { command, deciderSpec } from '../support/decider.js';

const { given } = deciderSpec(revokeApiKeyDecider);
const issued = (keyId: string, role: Role): Fact => ({ type: 'KeyIssued', data: { keyId, name: `${role} ${keyId}`, role, keyHash: 'a'.repeat(64) } });
const revoked = (keyId: string, role: Role): Fact => ({ type: 'KeyRevoked', data: { keyId, name: `${role} ${keyId}`, role, reason: 'test' } });
const revoke = (keyId: string) => command({ keyId, reason: 'leaving' });

describe('RevokeApiKey', () => {
  it('given an active key, when revoked, then one KeyRevoked; again, then nothing', () => {
    given([issued('k1', 'trader')]).when(revoke('k1')).then((events) => expect(events.map((e) => [e.type, e.data])).toEqual([['KeyRevoked', { keyId: 'k1', name: 'trader k1', role: 'trader', reason: 'leaving' }]]));
    given([issued('k1', 'trader'), revoked('k1', 'trader')]).when(revoke('k1')).then([]);
  });

  it('given no such key, then NotFound', () => {
    given([issued('k1', 'admin')]).when(revoke('k2')).thenThrows(NotFoundError, /no API key/);
  });

  it('the last active admin key is refused, saying how to go on; with another active admin key it is revoked (itself included)', () => {
    given([issued('a1', 'admin'), issued('t1', 'trader')]).when(revoke('a1')).thenThrows(CommandRejectedError, /last active admin key.*make another admin key first/);
    given([issued('a1', 'admin'), issued('a2', 'admin'), revoked('a2', 'admin')]).when(revoke('a1')).thenThrows(CommandRejectedError, /last active admin key/);
    given([issued('a1', 'admin'), issued('a2', 'admin')]).when(revoke('a1')).then((events) => expect(events.map((e) => e.type)).toEqual(['KeyRevoked']));
  });

  it('given any history of keys, a revocation never leaves no active admin key where there was one', () => {
    const roles: Role[] = ['viewer', 'trader', 'admin'];
    const factArb = fc.record({ id: fc.constantFrom('k1', 'k2', 'k3'), role: fc.constantFrom(...roles), revoke: fc.boolean() });
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 8 }), fc.constantFrom('k1', 'k2', 'k3'), (history, target) => {
        // Each id is issued once, with the role of its first mention; later mentions revoke it or not.
        const roleOf = new Map<string, Role>();
        const facts: Fact[] = [];
        for (const h of history) {
          if (!roleOf.has(h.id)) {
            roleOf.set(h.id, h.role);
            facts.push(issued(h.id, h.role));
          } else if (h.revoke) facts.push(revoked(h.id, roleOf.get(h.id)!));
        }
        const active = new Set(facts.filter((f) => f.type === 'KeyIssued').map((f) => f.data.keyId as string));
        for (const f of facts) if (f.type === 'KeyRevoked') active.delete(f.data.keyId as string);
        const activeAdmins = [...active].filter((id) => roleOf.get(id) === 'admin');
        const when = given(facts).when(revoke(target));
        if (!roleOf.has(target)) when.thenThrows(NotFoundError);
        else if (!active.has(target)) when.then([]);
        else if (roleOf.get(target) === 'admin' && activeAdmins.length === 1) when.thenThrows(CommandRejectedError);
        else when.then((events) => expect(events.map((e) => e.type)).toEqual(['KeyRevoked']));
      }),
    );
  });
});

/** `--roles`: which parts a process runs; what it accepts, what it refuses and why. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { PROCESS_ROLES, rolesOf, runsEveryRole } from '../../src/app/processRoles.js';
import { InvalidInputError } from '../../src/domain/errors.js';

const refusal = (flags: Record<string, string>, env: Record<string, string> = {}): string => {
  try {
    loadConfig({ env, flags });
  } catch (e) {
    if (e instanceof InvalidInputError) return e.reason;
    throw e;
  }
  throw new Error('loadConfig accepted it');
};

describe('--roles', () => {
  it('runs every role by default, on either profile', () => {
    expect(runsEveryRole(rolesOf(loadConfig({ env: {}, flags: {} }).roles))).toBe(true);
    expect(runsEveryRole(rolesOf(loadConfig({ env: {}, flags: { profile: 'cluster' } }).roles))).toBe(true);
  });

  it('reads any list of roles, from the flag or TICKVAULT_ROLES, as exactly the roles it names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...PROCESS_ROLES), { minLength: 1 }), fc.boolean(), (list, viaEnv) => {
        const text = list.join(',');
        const config = viaEnv ? loadConfig({ env: { TICKVAULT_ROLES: text }, flags: { profile: 'cluster' } }) : loadConfig({ env: {}, flags: { profile: 'cluster', roles: text } });
        expect([...rolesOf(config.roles)].sort()).toEqual([...list].sort());
      }),
    );
  });

  it('refuses an unknown role, naming every valid one', () => {
    const reason = refusal({ profile: 'cluster', roles: 'api,worker' });
    expect(reason).toContain('setting roles from flag --roles: got "api,worker"');
    expect(reason).toContain('all, or one or more of api, ingest, live, batch, alerts, relay, jobs, comma-separated');
    expect(refusal({ profile: 'cluster' }, { TICKVAULT_ROLES: 'API' })).toContain('environment variable TICKVAULT_ROLES');
  });

  it('refuses "all" beside other roles, and an empty list', () => {
    expect(refusal({ profile: 'cluster', roles: 'all,api' })).toContain('expected all, or one or more of');
    expect(refusal({ profile: 'cluster', roles: 'api,' })).toContain('expected all, or one or more of');
  });

  it('refuses a part of the roles on the embedded profile, which is one process by design', () => {
    expect(refusal({ roles: 'api' })).toMatch(/--roles api needs --profile cluster: the embedded profile runs every role in its one process/);
    expect(loadConfig({ env: {}, flags: { roles: 'all' } }).roles).toBe('all');
  });
});

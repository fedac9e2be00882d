/**
 * `tickvault keys` and the first admin key: keys made, listed and revoked from the command line
 * land in the ledger the server reads; a platform without keys makes an admin key once, in a file
 * only its owner can read, and later only says where it is.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newApiKeySecret } from '../../src/adapters/system/apiKeySecret.js';
import { ADMIN_KEY_FILE, ensureFirstAdminKey } from '../../src/app/firstAdminKey.js';
import { openTestPlatform } from '../support/platform.js';
import { runTickvault } from '../support/tickvaultProcess.js';

describe('tickvault keys, and the first admin key', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dataDir = (): string => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'tv-keys-cli-'));
    dirs.push(d);
    return d;
  };

  it('create prints the key once, list shows it without the key, revoke ends it; bad input is exit 2 with the usage', async () => {
    const dir = dataDir();
    const created = await runTickvault(['keys', 'create', '--role', 'trader', '--name', 'desk 3', '--data-dir', dir]);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^tvk_[A-Za-z0-9_-]{43}$/);
    const keyId = /issued (key-\S+) \("desk 3", role trader\)/.exec(created.stderr)![1]!;
    const listed = await runTickvault(['keys', 'list', '--data-dir', dir]);
    expect(listed.stdout).toMatch(new RegExp(`${keyId}\\s+trader\\s+active\\s+desk 3\\s+\\(issued at position \\d+\\)`));
    expect(listed.stdout).not.toContain(key);
    expect((await runTickvault(['keys', 'revoke', keyId, '--data-dir', dir])).stderr).toMatch(/revoked key-/);
    expect((await runTickvault(['keys', 'list', '--data-dir', dir])).stdout).toMatch(/trader\s+revoked\s+desk 3\s+\(issued at position \d+, revoked at \d+\)/);
    const bad = await runTickvault(['keys', 'create', '--role', 'emperor', '--name', 'x', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/role/);
    expect((await runTickvault(['keys', 'rotate', '--data-dir', dir])).stderr).toMatch(/unknown subcommand "rotate"; usage: tickvault keys create/);
  }, 60_000);

  it('the first start makes one admin key, stored with mode 0600; later starts say where it is', async () => {
    const dir = dataDir();
    const t = await openTestPlatform({}, dir);
    try {
      const first = await ensureFirstAdminKey(t.platform.keys, dir);
      const file = path.join(dir, ADMIN_KEY_FILE);
      const key = readFileSync(file, 'utf8').trim();
      expect(first).toContain(key);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(t.platform.keys.authenticate(key)).toMatchObject({ role: 'admin' });
      const later = await ensureFirstAdminKey(t.platform.keys, dir);
      expect(later).toBe(`admin key: in ${file} (made on the first start; \`tickvault keys create\` makes more)`);
      expect(later).not.toContain(key);
      expect(t.platform.keys.list().filter((k) => k.role === 'admin')).toHaveLength(1);
    } finally {
      await t.cleanup();
    }
  });

  it('a key handed in by file (a Kubernetes Secret) becomes the first admin key, neither printed nor copied; a malformed one is refused', async () => {
    const dir = dataDir();
    const given = path.join(dir, 'secret-admin-key');
    const key = newApiKeySecret();
    writeFileSync(given, `${key}\n`);
    const t = await openTestPlatform({}, dir);
    try {
      const malformed = path.join(dir, 'malformed');
      writeFileSync(malformed, 'tvk_short\n');
      await expect(ensureFirstAdminKey(t.platform.keys, dir, malformed)).rejects.toThrow(/does not hold a key: expected tvk_ and 43 base64url characters/);
      await expect(ensureFirstAdminKey(t.platform.keys, dir, path.join(dir, 'absent'))).rejects.toThrow(/cannot be read/);
      expect(t.platform.keys.list()).toHaveLength(0);
      const first = await ensureFirstAdminKey(t.platform.keys, dir, given);
      expect(first).toMatch(new RegExp(`the one in ${given}, issued on this first start as key-`));
      expect(first).not.toContain(key);
      expect(existsSync(path.join(dir, ADMIN_KEY_FILE))).toBe(false);
      expect(t.platform.keys.authenticate(key)).toMatchObject({ role: 'admin', name: 'first admin' });
      expect(await ensureFirstAdminKey(t.platform.keys, dir, given)).toMatch(/issued before/);
      expect(t.platform.keys.list()).toHaveLength(1);
    } finally {
      await t.cleanup();
    }
  });
});

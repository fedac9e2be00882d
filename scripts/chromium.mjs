// The browser the dashboard's tests drive (playwright-core, no bundled browser): Debian's
// Chromium package. Found on the usual paths or $TICKVAULT_CHROMIUM; installed with apt-get when
// missing and this machine allows it (root, or sudo without a password); a clear error otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export const findChromium = () => [process.env.TICKVAULT_CHROMIUM, ...CANDIDATES].find((p) => p !== undefined && p !== '' && existsSync(p));

const apt = (args) => {
  const asRoot = process.getuid?.() === 0;
  const r = asRoot ? spawnSync('apt-get', args, { stdio: 'inherit' }) : spawnSync('sudo', ['-n', 'apt-get', ...args], { stdio: 'inherit' });
  return r.status === 0;
};

/** The Chromium executable's path, installing the Debian package first if needed; undefined (after saying why) when it cannot. */
export const ensureChromium = () => {
  const found = findChromium();
  if (found !== undefined) {
    console.log(`chromium: ${found}`);
    return found;
  }
  console.log('chromium: not found; installing Debian\'s package (apt-get install chromium)...');
  const installed = apt(['update']) && apt(['install', '-y', '--no-install-recommends', 'chromium']);
  const now = findChromium();
  if (!installed || now === undefined) {
    console.error('chromium: could not install it. The dashboard\'s browser tests need it: run `sudo apt-get install chromium` (Debian/Ubuntu), or set TICKVAULT_CHROMIUM to a Chromium or Chrome executable, then run npm test again.');
    return undefined;
  }
  return now;
};

// `node scripts/chromium.mjs`: the same as a command (exit 1 when there is no browser), so it can run beside other work.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(ensureChromium() === undefined ? 1 : 0);
}

/**
 * Chromium for the printed reports (playwright-core drives it; it brings no browser of its own):
 * $TICKVAULT_CHROMIUM, else Debian's package on its usual paths. `npm test` installs the package
 * when missing (scripts/chromium.mjs); a user who runs `tickvault report` installs it once with
 * `apt-get install chromium`.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export const findChromium = (): string | undefined =>
  [process.env['TICKVAULT_CHROMIUM'], ...CANDIDATES].find((p): p is string => p !== undefined && p !== '' && existsSync(p));

/** Headless Chromium; an error that says how to get one when none is found. */
export const launchChromium = async (): Promise<Browser> => {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error('no Chromium found: install it (`sudo apt-get install chromium` on Debian/Ubuntu) or set TICKVAULT_CHROMIUM to a Chromium or Chrome executable');
  }
  // --no-sandbox only as root, where Chromium's sandbox refuses to start (containers, CI).
  const args = ['--disable-dev-shm-usage', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
  return chromium.launch({ executablePath, headless: true, args });
};

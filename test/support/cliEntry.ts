/**
 * How a test starts the `tickvault` CLI as a child process: the built `dist/cli/main.js` when it
 * is at least as new as every source (as `npm test` leaves it: it builds before the tests), else
 * the sources through tsx. Compiling the sources costs each child seconds of CPU, and the
 * process tests start dozens of children; a stale build is never used, so a test run after an
 * edit without a build still runs what was edited.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './sharedData.js';

const newest = (dir: string): number => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

/** Node's arguments before the CLI's own: `[script]` or `['--import', 'tsx', script]`. */
export const cliEntry = (): string[] => {
  const built = path.join(repoRoot, 'dist', 'cli', 'main.js');
  const sources = Math.max(newest(path.join(repoRoot, 'src')), statSync(path.join(repoRoot, 'tsconfig.json')).mtimeMs);
  return existsSync(built) && statSync(built).mtimeMs >= sources ? [built] : ['--import', 'tsx', 'src/cli/main.ts'];
};

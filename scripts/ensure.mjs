// Bootstrap shared by `npm start`, `npm test`, `npm run bench` and the `tickvault` bin:
// installs dependencies when they are missing and builds when the sources are newer than dist/.
// Plain Node with no dependencies, because it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const run = (cmd, args, what) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\ntickvault: ${what} failed (exit ${r.status ?? r.signal}). Fix the error above and run the command again.`);
    process.exit(r.status ?? 1);
  }
};

const newest = (dir) => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

export const ensureInstalled = () => {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const sqlite = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(marker) && existsSync(sqlite) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // A node_modules that links to another checkout's is that checkout's to install: `npm ci` here
  // would remove the link and empty the folder it points to, under every checkout sharing it.
  const modules = path.join(root, 'node_modules');
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
    console.error(`tickvault: node_modules links to ${readlinkSync(modules)}, which may be out of date for this package-lock.json; not installing through the link (run npm ci in the checkout that owns it)`);
    return;
  }
  console.error('tickvault: installing dependencies (first run; better-sqlite3 compiles from source, about a minute)...');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
};

/** The dashboard (web/) built by Vite into dist/web/, which the API serves at `/`. */
export const ensureWebBuilt = () => {
  const out = path.join(root, 'dist', 'web', 'index.html');
  if (existsSync(out) && statSync(out).mtimeMs >= newest(path.join(root, 'web'))) return;
  console.error('tickvault: building the dashboard...');
  run(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], 'the dashboard build');
};

export const ensureBuilt = () => {
  ensureWebBuilt();
  const out = path.join(root, 'dist', 'cli', 'main.js');
  const sources = Math.max(newest(path.join(root, 'src')), statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  // The build's own output, not dist/ as a whole: a newer dashboard build (dist/web/) would hide stale code.
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return;
  console.error('tickvault: building...');
  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], 'the TypeScript build');
};

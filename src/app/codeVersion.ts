/**
 * The code version a backtest result names, so that it can be reproduced: the package version,
 * a SHA-256 of the engine's source (src/domain/backtest/ and the moments its metrics use), and
 * `git describe` when the process runs from a git checkout that has one.
 *
 * Why the hash, and not git describe alone: a deployed build or an unpacked tarball has no git,
 * and a checkout with uncommitted changes describes itself as the commit it has changed; the hash
 * names exactly the code that computed the numbers, wherever it runs. It hashes the TypeScript
 * sources when they are present (the same for `npm start`'s build and a tsx run), else the
 * compiled files beside this module, labelled so.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

const engineFiles = (dir: string, ext: string): string[] => [
  ...readdirSync(path.join(dir, 'domain', 'backtest')).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, 'domain', 'backtest', f)),
  path.join(dir, 'domain', 'risk', `moments${ext}`),
];

const engineHash = (): string => {
  const sources = path.join(root, 'src');
  const [label, files] = existsSync(path.join(sources, 'domain', 'backtest')) ? ['src', engineFiles(sources, '.ts')] : ['build', engineFiles(path.resolve(here, '..'), '.js')];
  const hash = createHash('sha256');
  for (const f of files) hash.update(path.basename(f)).update('\0').update(readFileSync(f)).update('\0');
  return `engine-${label}:${hash.digest('hex').slice(0, 16)}`;
};

const gitDescribe = (): string | undefined => {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty', '--tags'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).toString().trim() || undefined;
  } catch {
    // No git, or not a checkout: the hash alone names the code.
    return undefined;
  }
};

let memo: string | undefined;

/** `tickvault@0.1.0 engine-src:0123456789abcdef git:3957ef4-dirty` (computed once per process). */
export const codeVersion = (): string => {
  if (memo !== undefined) return memo;
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const git = gitDescribe();
  memo = [`tickvault@${version}`, engineHash(), ...(git === undefined ? [] : [`git:${git}`])].join(' ');
  return memo;
};

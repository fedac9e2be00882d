/**
 * The code version a backtest result or a trained model names, so that it can be reproduced: the
 * package version, a SHA-256 of the engine's source (src/domain/backtest/ and the moments its
 * metrics use; src/domain/models/ and the hash, PRNG and canonical JSON it uses), and
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

/** What each engine's hash covers: its folder under domain/ and the files it uses from elsewhere in domain/. */
const ENGINES = {
  backtest: { folder: 'backtest', also: ['risk/moments'] },
  models: { folder: 'models', also: ['sha256', 'prng', 'events/canonical'] },
} as const;
export type EngineName = keyof typeof ENGINES;

const engineFiles = (engine: EngineName, dir: string, ext: string): string[] => {
  const { folder, also } = ENGINES[engine];
  return [
    ...readdirSync(path.join(dir, 'domain', folder)).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, 'domain', folder, f)),
    ...also.map((f) => path.join(dir, 'domain', `${f}${ext}`)),
  ];
};

const engineHash = (engine: EngineName): string => {
  const sources = path.join(root, 'src');
  const [label, files] = existsSync(path.join(sources, 'domain', ENGINES[engine].folder)) ? ['src', engineFiles(engine, sources, '.ts')] : ['build', engineFiles(engine, path.resolve(here, '..'), '.js')];
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

const memo = new Map<EngineName, string>();

/** `tickvault@0.1.0 engine-src:0123456789abcdef git:3957ef4-dirty` of the backtest or model engine (computed once per process). */
export const codeVersion = (engine: EngineName = 'backtest'): string => {
  const known = memo.get(engine);
  if (known !== undefined) return known;
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const git = gitDescribe();
  const named = [`tickvault@${version}`, engineHash(engine), ...(git === undefined ? [] : [`git:${git}`])].join(' ');
  memo.set(engine, named);
  return named;
};

// Finding installed programs without trusting a login shell's PATH.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The absolute path of `name` on the PATH, or undefined. */
export const commandPath = (name) => {
  try {
    const out = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', timeout: 5_000 }).trim();
    return out !== '' && existsSync(out) ? out : undefined;
  } catch {
    return undefined;
  }
};

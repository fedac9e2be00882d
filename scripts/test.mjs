// `npm test`: the whole suite. Installs what is missing, type-checks, lints, then runs every test.
// Under CI=true nothing may be skipped for want of a server or data: those tests fail instead.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureInstalled, root } from './ensure.mjs';

// `npm test -- --no-stack` skips starting the real servers (their tests then skip, or fail under CI=true).
const noStack = process.argv.includes('--no-stack');
const vitestArgs = process.argv.slice(2).filter((a) => a !== '--no-stack');

ensureInstalled();
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const step = (title, cmd, args) => {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  console.log(`== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step('type-check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('lint', bin('eslint'), ['.']);
step('build', bin('tsc'), ['-p', 'tsconfig.build.json']);
if (!noStack) step('stack (install and start the real servers)', process.execPath, [path.join(root, 'deploy', 'local', 'stack.mjs'), 'up']);
step('tests', bin('vitest'), ['run', ...vitestArgs]);

// `npm test`: the whole suite. Installs what is missing, type-checks, lints, then runs every test.
// Under CI=true nothing may be skipped for want of a server or data: those tests fail instead.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureInstalled, root } from './ensure.mjs';

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
step('tests', bin('vitest'), ['run', ...process.argv.slice(2)]);

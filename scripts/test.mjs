// `npm test`: the whole suite. Installs what is missing, type-checks, lints, then runs every test.
// Under CI=true nothing may be skipped for want of a server or data: those tests fail instead.
//
// The real servers this run starts are stopped when it ends (pass, fail or Ctrl-C), so a second
// checkout's run finds its ports free; servers that were already running are left alone.
//   npm test -- --no-stack     run without the servers (their tests skip, or fail under CI=true)
//   npm test -- --keep-stack   leave the servers this run started running afterwards
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { ensureInstalled, root } from './ensure.mjs';
import { findGo } from '../deploy/local/goTools.mjs';
import { contextFor, loadComponents, writeEndpoints } from '../deploy/local/stack.mjs';
import { createRunStack } from '../deploy/local/lib/runStack.mjs';
import { loadSettings } from '../deploy/local/lib/settings.mjs';

const OWN_FLAGS = ['--no-stack', '--keep-stack'];
const noStack = process.argv.includes('--no-stack');
const keepStack = process.argv.includes('--keep-stack');
const vitestArgs = process.argv.slice(2).filter((a) => !OWN_FLAGS.includes(a));

let interrupted = false;
// Ctrl-C reaches the running step too (same process group); this run then ends after it, cleaning up.
process.on('SIGINT', () => {
  interrupted = true;
});

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs one step; resolves with its exit code (non-zero when killed by a signal). */
const step = async (title, run) => {
  console.log(`\n== ${title}`);
  const started = Date.now();
  let code;
  try {
    code = await run();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    code = 1;
  }
  console.log(`== ${title}: ${code === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
};

const command = (cmd, args) => () =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
  });

/**
 * The Helm chart's test needs Helm 4 and the manifest validator, built from Go modules once
 * (minutes), here rather than inside a test's timeout. Not fatal: without them the chart's tests
 * skip, or under CI=true fail, saying why. Its own process, so it runs beside the other steps.
 */
const goTools = async () => {
  if (findGo() === undefined) {
    console.error(`Go is not installed: the Helm chart's tests will ${process.env.CI === 'true' ? 'fail (CI=true)' : 'be skipped'}; install Go 1.25 or newer`);
    return 0;
  }
  const code = await command(process.execPath, [path.join(root, 'deploy', 'local', 'goTools.mjs')])();
  if (code !== 0) console.error('(the Helm chart\'s tests will try again, and fail with the error above if it happens again)');
  return 0;
};

/** One lane of vitest.config.ts (a lane with no file matching the run's filters passes). */
const lane = (name) => command(bin('vitest'), ['run', '--project', name, '--passWithNoTests', ...vitestArgs])();

/**
 * The server-free files first; then the serial and the Spark lanes side by side, as two vitest
 * runs (test/testLanes.ts and vitest.config.ts say why). Every lane runs even when one fails, so
 * a run reports every failure; a file's lines carry its lane's name.
 */
const runTests = async () => {
  const parallel = await lane('parallel');
  if (interrupted) return 130;
  const rest = await Promise.all([lane('serial'), lane('spark')]);
  return [parallel, ...rest].find((code) => code !== 0) ?? 0;
};

const main = async () => {
  ensureInstalled();
  // What waits on downloads and servers (the browser, the real servers, the Go builds) runs beside
  // the type-checks, lint and builds, which use the CPU: on a fresh two-core machine that halves the
  // set-up. The browser and the servers go one after the other: both may call apt-get.
  const building = step('Helm 4 and the Kubernetes manifest validator (Go), in the background', goTools);
  const settings = loadSettings();
  const components = await loadComponents();
  const stack = noStack ? undefined : createRunStack({ components, contextFor: (c) => contextFor(settings, c), log: (line) => console.error(`[stack] ${line}`) });
  const serving = (async () => {
    // In processes of their own (apt-get, pip and Maven block the process they run in); then the
    // servers start here, where the run records what it started so it can stop it at the end.
    const script = (...parts) => path.join(root, ...parts);
    // The dashboard's tests drive a real browser: Debian's Chromium, installed when missing.
    const browser = await step('browser (Chromium), in the background', command(process.execPath, [script('scripts', 'chromium.mjs')]));
    if (browser !== 0 || stack === undefined) return browser;
    return step('stack (install and start the real servers), in the background', async () => {
      const installed = await command(process.execPath, [script('deploy', 'local', 'stack.mjs'), 'install'])();
      if (installed !== 0) return installed;
      await stack.up();
      // The tests find the servers through this file: a run must write it even when it started nothing.
      await writeEndpoints(settings, components);
      return 0;
    });
  })();
  try {
    const steps = [
      ['type-check', command(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])],
      ['type-check the dashboard', command(bin('tsc'), ['-p', 'web/tsconfig.json'])],
      ['lint', command(bin('eslint'), ['.'])],
      ['build', command(bin('tsc'), ['-p', 'tsconfig.build.json'])],
      ['build the dashboard', command(bin('vite'), ['build', '--config', 'web/vite.config.ts'])],
    ];
    for (const [title, run] of steps) {
      const code = await step(title, run);
      if (code !== 0) return code;
      if (interrupted) return 130;
    }
    for (const code of [await serving, await building]) {
      if (code !== 0) return code;
    }
    if (interrupted) return 130;
    const tests = await step('tests', runTests);
    return interrupted ? 130 : tests;
  } finally {
    // A failed step ends the run early: what is still starting finishes first, so it can be stopped.
    await Promise.allSettled([serving, building]);
    if (stack !== undefined) console.log(`\n== ${await stack.release({ keep: keepStack })}`);
  }
};

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);

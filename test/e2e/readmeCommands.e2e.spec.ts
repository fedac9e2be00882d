/**
 * Every ```bash block of the README, run as written, in order, from the repository root: the
 * walkthroughs a new user copies must work on a fresh clone.
 *
 * What the harness changes, and why (nothing else):
 *   - `TICKVAULT_DATA_DIR` is a fresh temporary folder shared by all blocks (the import feeds the
 *     verify, replay and recompute after it), `PORT` a free port (`127.0.0.1:8080` in a command
 *     becomes that port), `LOG_LEVEL=warn`;
 *   - `../shared/data` becomes the shared data folder of test/support/sharedData.ts (missing under
 *     CI=true: a failure);
 *   - commands that need the cluster stack run with `TICKVAULT_STACK_DIR` and, for the platform,
 *     a PostgreSQL schema, Redis/Kafka/HBase prefixes of their own, so they share the servers
 *     without touching anyone's data;
 *   - long runners (`npm start ...`) run in the background until they answer /health (and, for the
 *     simulator, until BTC-USDT has a first trade), stay up for the curl commands that follow them,
 *     and are stopped (SIGINT) before the next other command.
 * Commands that are not run are in NOT_RUN below, each with its reason, and the test fails when
 * that list and the README disagree; commands needing internet get their arguments checked by the
 * CLI's own parser and config loader instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { repoRoot, requireSharedData, sharedDataDir } from '../support/sharedData.js';
import { requireStack, stackDir } from '../support/stack.js';

/** Commands of the README this test does not run, and why: shown in the test names. */
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm test': 'it is this test suite',
  'npm run stack -- down': 'it would stop the servers the other tests use; what npm test stops is tested in test/deploy/runStack.unit.spec.ts',
};
/** Sources that need internet access (or a feed file of the user's): arguments checked only. */
const NEEDS_INTERNET = /--source (\S*)(binance|coinbase|kraken|bitstamp|gemini|okx|bybit|bitfinex|coingecko|sentiment)/;
const NEEDS_STACK = /--profile cluster|npm run stack|tickvault stack/;
const LONG_RUNNER = /^npm start\b/;
const UP_TIMEOUT_MS = 240_000;
const COMMAND_TIMEOUT_MS = 600_000;

interface Block {
  readonly index: number;
  readonly commands: readonly string[];
}

/** The README's ```bash blocks, each as its commands (comments and blank lines dropped). */
const bashBlocks = (markdown: string): Block[] =>
  [...markdown.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((m, index) => ({
    index,
    commands: m[1]!
      .split('\n')
      .map((line) => line.replace(/\s+#\s.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  }));

const blocks = bashBlocks(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
const allCommands = blocks.flatMap((b) => b.commands);
const data = requireSharedData('binance-futures-klines-1m-2023-02', 'binance-spot-klines-1m-2023-02', 'binance-spot-ws-2024-08-08');
const stackServices = ['redis', 'postgres', 'kafka', 'hbase'].map((name) => requireStack(name));
const stackSkip = stackServices.some((s) => s.skip);

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });

let dataDir = '';
let port = 0;
const run = `readme${process.pid}`;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'tickvault-readme-'));
  port = await freePort();
});
/** The long runner up now: it outlives its block when the next commands are curl commands talking to it. */
let runner: ReturnType<typeof startRunner> | undefined;
afterAll(async () => {
  await runner?.stop();
  if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
});

const envFor = (command: string): NodeJS.ProcessEnv => ({
  ...process.env,
  TICKVAULT_DATA_DIR: dataDir,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  TICKVAULT_STACK_DIR: stackDir,
  ...(NEEDS_STACK.test(command)
    ? { TICKVAULT_POSTGRES_SCHEMA: run, TICKVAULT_REDIS_PREFIX: `${run}:`, TICKVAULT_KAFKA_TOPIC_PREFIX: `${run}.`, TICKVAULT_HBASE_TABLE_PREFIX: `${run}_` }
    : {}),
});

/** The command as the harness runs it: the shared data folder, the run's data folder (the README's `.data/`) and the port put in. */
const asRun = (command: string): string =>
  command.replaceAll('../shared/data', sharedDataDir).replaceAll('.data/', `${dataDir}/`).replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);

/** The admin key the platform made on its first start in the run's data folder (the cluster profile answers nothing without a key). */
const adminKeyHeaders = (): Record<string, string> => {
  const file = path.join(dataDir, 'admin-key');
  return existsSync(file) ? { authorization: `Bearer ${readFileSync(file, 'utf8').trim()}` } : {};
};

const runToEnd = (command: string): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', asRun(command)], { cwd: repoRoot, env: envFor(command), encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const answers = async (urlPath: string): Promise<boolean> => {
  try {
    return (await fetch(`http://127.0.0.1:${port}${urlPath}`, { headers: adminKeyHeaders() })).ok;
  } catch {
    return false;
  }
};

/** Polls until `ready` or the runner exits or the time is up; the runner's output is in the failure. */
const waitUntil = async (runner: { child: ChildProcess; output: () => string; exited: () => boolean }, what: string, ready: () => Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + UP_TIMEOUT_MS;
  for (;;) {
    if (await ready()) return;
    if (runner.exited()) throw new Error(`exited before ${what}:\n${runner.output().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${UP_TIMEOUT_MS / 1000} s:\n${runner.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
};

const startRunner = (command: string) => {
  // Its own process group, so that stopping it reaches npm and the node process under it.
  const child = spawn('bash', ['-c', asRun(command)], { cwd: repoRoot, env: envFor(command), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  void done.then(() => (exited = true));
  return {
    child,
    output: () => output,
    exited: () => exited,
    stop: async (): Promise<void> => {
      if (exited || child.pid === undefined) return;
      process.kill(-child.pid, 'SIGINT');
      const killer = setTimeout(() => !exited && process.kill(-child.pid!, 'SIGKILL'), 30_000);
      await done;
      clearTimeout(killer);
    },
  };
};

describe('the README', () => {
  it('has command blocks, and every command it does not run is one of them, with a reason', () => {
    expect(blocks.length).toBeGreaterThan(3);
    for (const command of Object.keys(NOT_RUN)) expect(allCommands).toContain(command);
    const internet = allCommands.filter((c) => NEEDS_INTERNET.test(c));
    console.log(
      `README commands not run here:\n${[
        ...Object.entries(NOT_RUN).map(([c, why]) => `  ${c}: ${why}`),
        ...internet.map((c) => `  ${c}: needs internet access or a feed file of yours (arguments checked only)`),
      ].join('\n')}`,
    );
  });

  for (const block of blocks) {
    const needsStack = block.commands.some((c) => NEEDS_STACK.test(c));
    const skip = (data.skip && block.commands.some((c) => c.includes('../shared/data'))) || (needsStack && stackSkip);
    it.skipIf(skip)(`block ${block.index + 1} runs as written: ${block.commands.join(' ; ')}`, async () => {
      if (block.commands.some((c) => c.includes('../shared/data'))) data.assertAvailable();
      if (needsStack) for (const s of stackServices) s.endpoint();
      for (const command of block.commands) {
        if (command in NOT_RUN) continue;
        const internet = NEEDS_INTERNET.exec(command);
        if (internet !== null) {
          // The CLI's own parser and config loader, as `npm start -- ARGS` would call them.
          const args = parseCommandLine(['start', ...command.replace(/^npm start -- /, '').split(/\s+/)]);
          expect(() => loadConfig({ env: {}, flags: args.settings }), command).not.toThrow();
          continue;
        }
        if (!command.startsWith('curl ')) {
          await runner?.stop();
          runner = undefined;
        }
        if (LONG_RUNNER.test(command)) {
          runner = startRunner(command);
          await waitUntil(runner, `answer on /health (${command})`, () => answers('/health'));
          if (!command.includes('--source')) await waitUntil(runner, 'a first simulator trade of BTC-USDT', () => answers('/api/v1/realtime/BTC-USDT'));
          continue;
        }
        const r = runToEnd(command);
        expect({ command, code: r.code, stderr: r.code === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ command, code: 0, stderr: '' });
        if (command.startsWith('curl ')) expect(r.stdout, command).not.toMatch(/^\{"error":/);
      }
    }, 20 * 60_000);
  }
});

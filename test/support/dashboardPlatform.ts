/**
 * What the dashboard's browser tests and bench drive: `tickvault start` as a user runs it (the
 * embedded profile, the simulator, a fresh data folder, any free port) and Debian's Chromium
 * through playwright-core. The dashboard must be built (dist/web/, `npm run build:web`; npm test
 * builds it): a missing or stale build is an error saying so, never a silent old page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { repoRoot } from './sharedData.js';
import { cliEntry } from './cliEntry.js';

export { launchChromium } from '../../src/adapters/browser/chromium.js';

export interface RunningPlatform {
  readonly url: string;
  readonly adminKey: string;
  readonly dataDir: string;
  readonly stop: () => Promise<void>;
  /** What the process printed so far (stdout, then stderr), for a failing wait's message. */
  readonly output: () => string;
}

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs), 0);

export const WEB_BUILD = path.join(repoRoot, 'dist', 'web');

/** Throws unless dist/web/ holds a build at least as new as web/. */
export const requireWebBuild = (): void => {
  const index = path.join(WEB_BUILD, 'index.html');
  if (!existsSync(index)) throw new Error('the dashboard is not built (no dist/web/index.html): run `npm run build:web` (npm test does)');
  if (statSync(index).mtimeMs < newest(path.join(repoRoot, 'web'))) throw new Error('dist/web/ is older than web/: run `npm run build:web` (npm test does) so the browser tests see the current code');
};

/** How long a start or a first trade may take before the wait fails with what the process printed. */
const WAIT_MS = 90_000;

/** Starts `tickvault start` on a fresh data folder with the simulator; resolves once it serves. */
export const startPlatform = (args: readonly string[] = []): Promise<RunningPlatform> => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-dashboard-'));
  const child: ChildProcess = spawn(process.execPath, [...cliEntry(), 'start', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    // A start that never serves fails here, saying what the process printed, not at the test's timeout.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tickvault start did not serve within ${WAIT_MS / 1000} s:\n${out}\n${err}`));
    }, WAIT_MS);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /tickvault is running: (\S+)/.exec(out);
      if (m !== null && /\n\n/.test(out.slice(m.index))) {
        clearTimeout(timer);
        const adminKey = readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
        resolve({ url: m[1]!, adminKey, dataDir, stop, output: () => `${out}\n${err}` });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tickvault start exited ${code} before serving:\n${out}\n${err}`));
    });
  });
};

/**
 * The symbols the running platform lists, once it lists any: right after the start the simulator's
 * first trades may not be committed yet, and the list is empty (on a slow machine for a while).
 */
export const knownSymbols = async (platform: RunningPlatform): Promise<string[]> => {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const { symbols } = (await (await fetch(`${platform.url}/api/v1/symbols`)).json()) as { symbols: string[] };
    if (symbols.length > 0) return symbols;
    if (Date.now() > until) throw new Error(`the platform listed no symbol within ${WAIT_MS / 1000} s; it printed:\n${platform.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

export interface StreamedTrade {
  readonly exchange: string;
  readonly tradeId: string;
  readonly eventTime: number;
}

/** The first trade of `symbol` the running platform streams (`/ws/stream/{symbol}`). */
export const firstStreamedTrade = (platform: RunningPlatform, symbol: string): Promise<StreamedTrade> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${platform.url.replace('http', 'ws')}/ws/stream/${symbol}`);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no trade of ${symbol} streamed within ${WAIT_MS / 1000} s; the platform printed:\n${platform.output()}`));
    }, WAIT_MS);
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { trades?: Array<{ trade: StreamedTrade }> };
      const t = m.trades?.[0]?.trade;
      if (t !== undefined) {
        clearTimeout(timer);
        ws.close();
        resolve(t);
      }
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });

/**
 * Runs `tickvault start` as a child process (built or from source: cliEntry.ts), as a deployment would (one process per
 * role, or one with every role), and resolves once it listens, with its URL. What it printed is
 * kept for failure messages; `exited` tells how it ended (code, or the signal that killed it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './sharedData.js';
import { cliEntry } from './cliEntry.js';

export interface StartedTickvault {
  readonly child: ChildProcess;
  readonly url: string;
  /** The last of what it printed (stdout and stderr), for failure messages. */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const KEEP_OUTPUT = 8_000;
const STARTUP_TIMEOUT_MS = 120_000;

/** `spawned` is told the child at once, so a test can clean it up even if it never gets to listen. */
export const startTickvault = (args: readonly string[], spawned: (child: ChildProcess) => void = () => undefined): Promise<StartedTickvault> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliEntry(), 'start', ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned(child);
    let out = '';
    const keep = (chunk: Buffer): void => {
      out = (out + chunk.toString()).slice(-KEEP_OUTPUT);
      const m = /tickvault is running: (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m !== null && !started) {
        started = true;
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out, exited });
      }
    };
    let started = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tickvault start ${args.join(' ')} did not listen within ${STARTUP_TIMEOUT_MS} ms:\n${out}`));
    }, STARTUP_TIMEOUT_MS);
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`tickvault start ${args.join(' ')} exited (${code ?? signal}) before listening:\n${out}`));
    });
  });

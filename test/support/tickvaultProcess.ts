/**
 * Runs the `tickvault` CLI as a child process (built or from source: cliEntry.ts), as a user would, and collects what it
 * printed and how it ended: for tests of the command line's own behaviour (help, exit codes,
 * messages on stdout and stderr).
 */
import { spawn } from 'node:child_process';
import { repoRoot } from './sharedData.js';
import { cliEntry } from './cliEntry.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const runTickvault = (args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliEntry(), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin!.end(options.input);
  });

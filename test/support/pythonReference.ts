/**
 * Runs a reference script of test/support with the stack's Python (the venv the spark component
 * installs, with numpy and scipy from spark-jobs' dev dependencies): JSON in on stdin, JSON out.
 * Spawned asynchronously: a blocked worker loses vitest's RPC.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './sharedData.js';
import { requireStack } from './stack.js';

export const pythonStack = requireStack('spark');

export const runPythonReference = <T>(script: string, input: unknown): Promise<T> =>
  new Promise((resolve, reject) => {
    const python = pythonStack.endpoint()['python'] as string;
    const child = spawn(python, [path.join(repoRoot, 'test', 'support', script)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString('utf8')).slice(-10_000);
    });
    child.once('error', reject);
    child.once('close', (status) => {
      if (status !== 0) return reject(new Error(`${script} exited with ${status}:\n${err}`));
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as T);
    });
    child.stdin.end(JSON.stringify(input));
  });

/**
 * Equal within `rel` relative. A figure whose true value is 0 (a statistic of two equal
 * likelihoods, a mean of returns that cancel) has no relative error: there, 1e-12 absolute.
 */
export const closeTo = (got: number | null, want: number | null, rel = 1e-9): boolean => {
  if (got === null || want === null) return got === want;
  const diff = Math.abs(got - want);
  return diff <= rel * Math.max(Math.abs(got), Math.abs(want)) || diff <= 1e-12;
};

/**
 * The PySpark package's own checks, run by `npm test`: ruff, then pytest on a local[2]
 * SparkSession, both from the venv the spark stack component installs. A failure here shows
 * the tool's output.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sharedData.js';
import { requireStack } from '../support/stack.js';

const spark = requireStack('spark');
const jobsDir = path.join(repoRoot, 'spark-jobs');

/** Runs `python -m module args` from the venv, asynchronously (a blocked worker loses vitest's RPC). */
const runInVenv = (module: string, args: string[], timeoutMs: number): Promise<{ status: number | null; timedOut: boolean; output: string }> =>
  new Promise((resolve) => {
    const python = spark.endpoint()['python'] as string;
    const child = spawn(python, ['-m', module, ...args], {
      cwd: jobsDir,
      env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, timedOut, output: output.trim().split('\n').slice(-60).join('\n') });
    });
  });

describe.skipIf(spark.skip)('spark-jobs (Python)', () => {
  it('passes ruff', async () => {
    const r = await runInVenv('ruff', ['check', '.'], 60_000);
    expect(r.status, r.output).toBe(0);
  }, 90_000);

  it('passes its pytest suite', async () => {
    const r = await runInVenv('pytest', ['-q', '-p', 'no:cacheprovider', '-p', 'no:warnings', 'tests'], 20 * 60_000);
    expect(r.timedOut, `pytest killed after its timeout:\n${r.output}`).toBe(false);
    expect(r.status, r.output).toBe(0);
  }, 21 * 60_000);
});

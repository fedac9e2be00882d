/**
 * The PySpark package's own checks, run by `npm test`: ruff, then pytest on a local[2]
 * SparkSession, both from the venv the spark stack component installs. A failure here shows
 * the tool's output.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sharedData.js';
import { requireStack } from '../support/stack.js';

const spark = requireStack('spark');
const jobsDir = path.join(repoRoot, 'spark-jobs');

const runInVenv = (module: string, args: string[], timeoutMs: number) => {
  const python = spark.endpoint()['python'] as string;
  const r = spawnSync(python, ['-m', module, ...args], {
    cwd: jobsDir,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1', PYTHONDONTWRITEBYTECODE: '1' },
  });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-60).join('\n');
  return { status: r.status, signal: r.signal, output };
};

describe.skipIf(spark.skip)('spark-jobs (Python)', () => {
  it('passes ruff', () => {
    const r = runInVenv('ruff', ['check', '.'], 60_000);
    expect(r.status, r.output).toBe(0);
  }, 90_000);

  it('passes its pytest suite', () => {
    const r = runInVenv('pytest', ['-q', '-p', 'no:cacheprovider', '-p', 'no:warnings', 'tests'], 20 * 60_000);
    expect(r.signal, `pytest killed after its timeout:\n${r.output}`).toBeNull();
    expect(r.status, r.output).toBe(0);
  }, 21 * 60_000);
});

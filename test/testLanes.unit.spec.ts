import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/sharedData.js';
import { testLanes } from './testLanes.js';

const lanes = testLanes(repoRoot);
const text = (f: string) => readFileSync(path.join(repoRoot, f), 'utf8');

describe('test lanes', () => {
  it('hold every spec once', () => {
    const all = [...lanes.parallel, ...lanes.serial, ...lanes.spark];
    expect(all.length).toBe(new Set(all).size);
    expect(lanes.parallel).toContain('test/testLanes.unit.spec.ts');
  });

  it('put the files that run work on Spark in a lane of their own, and Python references that only use its venv with the other serial files', () => {
    expect(lanes.spark).toEqual(expect.arrayContaining(['test/adapters/batch-engine/spark/batchViewsParity.int.spec.ts', 'test/spark-jobs/pytest.int.spec.ts', 'test/crash/hdfsDataNodeKill.e2e.spec.ts']));
    expect(lanes.serial).toEqual(expect.arrayContaining(['test/domain/risk/riskReference.int.spec.ts', 'test/app/processRoles.e2e.spec.ts']));
    for (const f of lanes.serial) expect(text(f).includes('spark' + 'EngineStack'), f).toBe(false);
  });

  it('put every file that names a server, starts a process or drives a browser in the serial lane', () => {
    // Spelt in pieces: this file names none of them, so it runs in the parallel lane itself.
    const uses = ['requireStack' + '(', 'cluster' + 'Stack', 'node:' + 'child_process', 'play' + 'wright'];
    for (const f of lanes.parallel) for (const use of uses) expect(text(f).includes(use), `${f} uses ${use}`).toBe(false);
  });

  it('follow a helper the file imports: a server (clusterProfile, sparkEngineStack), a process (tickvaultProcess), a browser (dashboardPlatform)', () => {
    expect([...lanes.serial, ...lanes.spark]).toEqual(
      expect.arrayContaining([
        'test/app/processRoles.e2e.spec.ts',
        'test/adapters/batch-engine/spark/batchViewsParity.int.spec.ts',
        'test/cli/decode.e2e.spec.ts',
        'test/web/dashboard.e2e.spec.ts',
      ]),
    );
  });

  it('run the embedded profile and pure code in parallel', () => {
    expect(lanes.parallel).toEqual(expect.arrayContaining(['test/e2e/alerts.e2e.spec.ts', 'test/domain/sha256.property.unit.spec.ts']));
  });
});

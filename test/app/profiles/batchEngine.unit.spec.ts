/** The batchEngine setting: validated, and a Spark engine only where it can write (cluster, stack with Spark). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchEngineFactory } from '../../../src/app/profiles/batchEngine.js';
import { DEFAULT_CONFIG, loadConfig } from '../../../src/app/config.js';
import type { BatchStore, Ledger } from '../../../src/domain/ports.js';

// Never called: choosing an engine touches neither.
const ledger = {} as Ledger;
const store = {} as BatchStore;

describe('batch engine setting', () => {
  it('accepts ts and spark from flags and env, rejects anything else naming the choices', () => {
    expect(loadConfig({ env: {}, flags: {} }).batchEngine).toBe('ts');
    expect(loadConfig({ env: { TICKVAULT_BATCH_ENGINE: 'spark' }, flags: {} }).batchEngine).toBe('spark');
    expect(loadConfig({ env: { TICKVAULT_BATCH_ENGINE: 'spark' }, flags: { batchEngine: 'ts' } }).batchEngine).toBe('ts');
    expect(() => loadConfig({ env: {}, flags: { batchEngine: 'flink' } })).toThrow(/batchEngine/);
  });

  it('ts on any profile; spark needs the cluster profile and the stack\'s Spark and HDFS (its lake)', () => {
    expect(batchEngineFactory(DEFAULT_CONFIG)(ledger, store).name).toBe('ts');
    expect(() => batchEngineFactory({ ...DEFAULT_CONFIG, batchEngine: 'spark' })).toThrow(/needs --profile cluster/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-stack-'));
    try {
      writeFileSync(path.join(dir, 'endpoints.json'), JSON.stringify({ hbase: { url: 'http://127.0.0.1:1' } }));
      const cluster = { ...DEFAULT_CONFIG, profile: 'cluster' as const, batchEngine: 'spark' as const, stackDir: dir };
      expect(() => batchEngineFactory(cluster)).toThrow(/no "spark" entry.*npm run stack -- up spark/);
      const withSpark = { hbase: { url: 'http://127.0.0.1:1' }, spark: { url: 'local[2]', python: 'p', sparkHome: 'h', jars: [], jobs: 'j' } };
      writeFileSync(path.join(dir, 'endpoints.json'), JSON.stringify(withSpark));
      expect(() => batchEngineFactory(cluster)).toThrow(/no "hdfs" entry.*npm run stack -- up hdfs/);
      const hdfs = { url: 'hdfs://127.0.0.1:1', webUrl: 'http://127.0.0.1:2', user: 'u', clientConf: {} };
      writeFileSync(path.join(dir, 'endpoints.json'), JSON.stringify({ ...withSpark, hdfs }));
      expect(batchEngineFactory(cluster)(ledger, store).name).toBe('spark');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

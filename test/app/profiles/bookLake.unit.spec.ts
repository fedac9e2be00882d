/** Where each profile keeps the order-book lake: HDFS where the cluster's lake is on HDFS, else the data folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/app/config.js';
import { bookLakeFor } from '../../../src/app/profiles/bookLake.js';

const stackHdfs = { url: 'hdfs://127.0.0.1:19000', webUrl: 'http://127.0.0.1:19001', user: 'tickvault', clientConf: {} };

describe('the order-book lake of each profile', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const stackDir = (): string => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-stack-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'endpoints.json'), JSON.stringify({ hdfs: stackHdfs }));
    return dir;
  };

  it('is the data folder on the embedded profile, and on the cluster profile without a lake on HDFS', () => {
    const dataDir = path.resolve('some-data');
    expect(bookLakeFor({ ...DEFAULT_CONFIG, dataDir }).uri).toBe(pathToFileURL(path.join(dataDir, 'lake')).href);
    expect(bookLakeFor({ ...DEFAULT_CONFIG, profile: 'cluster', dataDir }).uri).toBe(pathToFileURL(path.join(dataDir, 'lake')).href);
  });

  it("is the cluster's lake on HDFS with the Spark batch engine (the stack's by default) or a --lake given", () => {
    expect(bookLakeFor({ ...DEFAULT_CONFIG, profile: 'cluster', batchEngine: 'spark', stackDir: stackDir() }).uri).toBe('hdfs://127.0.0.1:19000/crypto');
    expect(bookLakeFor({ ...DEFAULT_CONFIG, profile: 'cluster', lake: 'hdfs://127.0.0.1:19000/desk/crypto', stackDir: stackDir() }).uri).toBe('hdfs://127.0.0.1:19000/desk/crypto');
  });
});

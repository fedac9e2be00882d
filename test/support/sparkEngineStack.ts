/**
 * What a cluster-profile platform with `--batch-engine spark` needs besides clusterStack's
 * servers, isolated from every other test: a stack folder whose Spark entry runs this checkout's
 * spark-jobs (the shared entry names the folder the venv was installed from), and a lake of its
 * own on the stack's HDFS (`/tests/<unique>/crypto`), so recomputes of two tests never share a
 * staging folder. Skipped (or failed under CI=true) without Spark or HDFS, as requireStack says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';
import type { Config } from '../../src/app/config.js';
import { uniqueName } from '../contracts/polling.js';
import { repoRoot } from './sharedData.js';
import { requireStack } from './stack.js';
import { webHdfs, type HdfsFolder } from './webHdfs.js';

const spark = requireStack('spark');
const hdfs = requireStack('hdfs');

export interface SparkEngineRig {
  /** Settings to add to clusterStack.config(): batchEngine spark, the stack folder, the lake. */
  readonly config: Partial<Config>;
  readonly hdfs: HdfsEndpoint;
  /** The lake's root as an HDFS path (for WebHDFS). */
  readonly root: string;
  readonly files: HdfsFolder;
  /** Removes the test's folder from HDFS and its stack folder. */
  cleanup(): Promise<void>;
}

export const sparkEngineStack = {
  skip: spark.skip || hdfs.skip,
  rig: (): SparkEngineRig => {
    const endpoint = hdfs.endpoint() as unknown as HdfsEndpoint;
    const folder = `/tests/${uniqueName('spark-engine')}`;
    const root = `${folder}/crypto`;
    const stackDir = mkdtempSync(path.join(os.tmpdir(), 'tv-spark-stack-'));
    writeFileSync(path.join(stackDir, 'endpoints.json'), JSON.stringify({ spark: { ...spark.endpoint(), jobs: path.join(repoRoot, 'spark-jobs') }, hdfs: endpoint }));
    const files = webHdfs(endpoint);
    return {
      config: { batchEngine: 'spark', stackDir, lake: `${endpoint.url}${root}` },
      hdfs: endpoint,
      root,
      files,
      cleanup: async () => {
        await files.remove(folder);
        rmSync(stackDir, { recursive: true, force: true });
      },
    };
  },
};

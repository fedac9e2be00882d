/**
 * The cluster profile's lake on HDFS: its root (`--lake`, else /crypto on the local stack's
 * HDFS) and the WebHDFS access to the same NameNode (`--hdfs-web-url`, else the stack's), checked
 * now so a wrong or missing setting is a clear error before anything is opened.
 */
import os from 'node:os';
import { hdfsLake, parseHdfsLakeUri, type HdfsEndpoint, type LakeLocation } from '../../adapters/lake/lakeLocation.js';
import { webHdfs, type WebHdfs } from '../../adapters/lake/webHdfs.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { Config } from '../config.js';
import { readStackEntry } from './stackEndpoints.js';

/** The design's root of the master dataset on HDFS. */
const DEFAULT_ROOT = '/crypto';

export interface ClusterLake {
  readonly location: LakeLocation;
  readonly files: WebHdfs;
}

/** The stack's `hdfs` entry, its fields checked (a hand-edited or older endpoints.json). */
const stackHdfs = (stackDir: string): HdfsEndpoint => {
  const hint = 'start HDFS (npm run stack -- up hdfs), or set --lake and --hdfs-web-url';
  const entry = readStackEntry('hdfs', stackDir, hint);
  const { webUrl, user, clientConf } = entry;
  if (typeof webUrl !== 'string' || typeof user !== 'string' || typeof clientConf !== 'object' || clientConf === null) {
    throw new InvalidInputError(`the stack's "hdfs" entry in ${stackDir}/endpoints.json lacks webUrl, user or clientConf; ${hint}`);
  }
  return { url: entry.url, webUrl, user, clientConf: clientConf as Record<string, string> };
};

/** The Hadoop user a client of simple authentication acts as (Spark's too: it inherits this environment). */
const hadoopUser = (): string => process.env['HADOOP_USER_NAME'] || os.userInfo().username;

export const resolveClusterLake = (config: Pick<Config, 'lake' | 'hdfsWebUrl' | 'stackDir'>): ClusterLake => {
  const configured = config.lake === '' ? undefined : parseHdfsLakeUri(config.lake);
  if (config.lake !== '' && configured === undefined) throw new InvalidInputError(`--lake ${JSON.stringify(config.lake)}: expected hdfs://host:port/absolute/path, e.g. hdfs://namenode:8020/crypto`);
  const stack = configured === undefined || config.hdfsWebUrl === '' ? stackHdfs(config.stackDir) : undefined;
  if (configured !== undefined && stack !== undefined && configured.nameNode !== stack.url) {
    throw new InvalidInputError(
      `--lake ${config.lake} is on the NameNode ${configured.nameNode}, the local stack's HDFS is ${stack.url}: give that NameNode's web address with --hdfs-web-url (WebHDFS, e.g. http://namenode:9870)`,
    );
  }
  // The stack's user and client settings go with the stack's NameNode; another HDFS gets Hadoop's defaults.
  const endpoint: HdfsEndpoint = {
    url: configured?.nameNode ?? stack!.url,
    webUrl: config.hdfsWebUrl !== '' ? config.hdfsWebUrl : stack!.webUrl,
    user: stack?.user ?? hadoopUser(),
    clientConf: stack?.clientConf ?? {},
  };
  return { location: hdfsLake(endpoint, configured?.root ?? DEFAULT_ROOT), files: webHdfs(endpoint) };
};

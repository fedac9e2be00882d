/**
 * Where the lake (the master dataset) lives: one root URI the Spark jobs take as `--lake`, a
 * local folder (`file://`) on the embedded profile or a folder on HDFS (`hdfs://`) on the cluster
 * profile, with the Hadoop client settings its writers need. The layout under the root is the
 * same on both (spark-jobs/tickvault_jobs/lake.py): raw/, rejected/, processed/, models/, checkpoints/,
 * and tmp/ for a job's scratch input (a Spark recompute's, removed when it ends).
 */
import { pathToFileURL } from 'node:url';
import { InvalidInputError } from '../../domain/errors.js';

export interface LakeLocation {
  /** The root: `file:///abs/folder` or `hdfs://namenode:port/crypto`. */
  readonly uri: string;
  /** Hadoop client settings for whoever writes there (replication on a small cluster...). */
  readonly hadoopConf: Readonly<Record<string, string>>;
}

/** The stack's HDFS endpoint (endpoints.json's `hdfs` or `hdfs3` entry). */
export interface HdfsEndpoint {
  /** `hdfs://host:port` of the NameNode. */
  readonly url: string;
  /** The NameNode's web server (WebHDFS, JMX). */
  readonly webUrl: string;
  readonly user: string;
  readonly clientConf: Readonly<Record<string, string>>;
}

/** The embedded profile's lake: a folder on the local disk. */
export const localLake = (folder: string): LakeLocation => ({ uri: pathToFileURL(folder).href, hadoopConf: {} });

/** The cluster profile's lake: `root` (an absolute HDFS path, `/crypto` in the design) on the NameNode `hdfs`. */
export const hdfsLake = (hdfs: Pick<HdfsEndpoint, 'url' | 'clientConf'>, root = '/crypto'): LakeLocation => {
  if (!/^hdfs:\/\/[^/\s]+$/.test(hdfs.url)) throw new InvalidInputError(`HDFS NameNode URL ${JSON.stringify(hdfs.url)}: expected hdfs://host:port`);
  if (!/^(\/[A-Za-z0-9._-]+)+$/.test(root)) throw new InvalidInputError(`lake root ${JSON.stringify(root)}: expected an absolute HDFS path such as /crypto`);
  return { uri: `${hdfs.url}${root}`, hadoopConf: hdfs.clientConf };
};

/** An hdfs:// lake root: `hdfs://host:port` (the NameNode) and an absolute path of plain names. */
export const HDFS_LAKE_URI = /^(hdfs:\/\/[^/\s]+)((?:\/[A-Za-z0-9._-]+)+)$/;

/** An hdfs:// lake root (`hdfs://host:port/abs/path`) split into its NameNode URL and HDFS path; undefined for anything else. */
export const parseHdfsLakeUri = (uri: string): { nameNode: string; root: string } | undefined => {
  const m = HDFS_LAKE_URI.exec(uri);
  return m === null ? undefined : { nameNode: m[1]!, root: m[2]! };
};

/**
 * A folder under the lake, `parts` below its root: its URI (what a Spark job is given) and its
 * HDFS path (what WebHDFS is given). Only for an hdfs:// lake.
 */
export const hdfsLakeFolder = (lake: LakeLocation, ...parts: string[]): { uri: string; path: string } => {
  const parsed = parseHdfsLakeUri(lake.uri);
  if (parsed === undefined) throw new InvalidInputError(`lake ${JSON.stringify(lake.uri)}: expected hdfs://host:port/absolute/path`);
  const below = parts.map((p) => `/${p}`).join('');
  return { uri: `${lake.uri}${below}`, path: `${parsed.root}${below}` };
};

/** The lake's Hadoop settings as Spark configuration (`spark.hadoop.*` reaches every Hadoop client of the job). */
export const sparkConfFor = (lake: LakeLocation): Record<string, string> =>
  Object.fromEntries(Object.entries(lake.hadoopConf).map(([k, v]) => [`spark.hadoop.${k}`, v]));

// HDFS for the batch layer: the lake's master dataset (/crypto/...) and HBase's root folder.
// One NameNode and one DataNode (replication 1) on loopback; ports from TICKVAULT_HDFS_PORT.
import { hdfsCluster, hdfsStatus, HADOOP_VERSION, installHdfs, startHdfs, stopHdfs } from '../lib/hdfsCluster.mjs';

/** The stack's HDFS: one DataNode, replication 1 (HBase's root folder is on it too). */
export const stackHdfs = (settings) => hdfsCluster(settings.ports.hdfs, 1);

export default {
  name: 'hdfs',
  // Before HBase, whose root folder is on it.
  order: 35,
  describe: `HDFS ${HADOOP_VERSION} (NameNode + 1 DataNode, replication 1) from Maven Central jars, on loopback`,
  install: (ctx) => installHdfs(ctx),
  start: (ctx) => startHdfs(ctx, stackHdfs(ctx.settings), { portVariables: 'TICKVAULT_HDFS_PORT' }),
  stop: (ctx) => stopHdfs(ctx, stackHdfs(ctx.settings)),
  status: (ctx) => hdfsStatus(ctx, stackHdfs(ctx.settings), 'hdfs'),
};

// HDFS with three DataNodes and replication 3, for the fault tests: one DataNode can die without
// losing a block or stopping a writer. Ports from TICKVAULT_HDFS3_PORT (numbered as for hdfs).
import { hdfsCluster, hdfsStatus, HADOOP_VERSION, installHdfs, startHdfs, stopHdfs } from '../lib/hdfsCluster.mjs';

const cluster = (settings) => hdfsCluster(settings.ports.hdfs3, 3);

export default {
  name: 'hdfs3',
  order: 36,
  describe: `HDFS ${HADOOP_VERSION} (NameNode + 3 DataNodes, replication 3), on loopback`,
  install: (ctx) => installHdfs(ctx),
  start: (ctx) => startHdfs(ctx, cluster(ctx.settings), { portVariables: 'TICKVAULT_HDFS3_PORT' }),
  stop: (ctx) => stopHdfs(ctx, cluster(ctx.settings)),
  status: (ctx) => hdfsStatus(ctx, cluster(ctx.settings), 'hdfs3'),
};

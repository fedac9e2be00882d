/**
 * Where the order-book lake lives: on the cluster profile, wherever its lake is on HDFS (with
 * `--batch-engine spark`, or a `--lake` given), so that every process replays the same files and
 * Spark finds them under raw/orderbook/ beside the trades; otherwise the data folder's lake/.
 */
import path from 'node:path';
import { hdfsBookLake } from '../../adapters/lake/orderbook/hdfsBookLake.js';
import { localBookLake } from '../../adapters/lake/orderbook/localBookLake.js';
import type { BookLake } from '../../domain/ports.js';
import type { Config } from '../config.js';
import { resolveClusterLake } from './clusterLake.js';

export const bookLakeFor = (config: Config): BookLake => {
  if (config.profile === 'cluster' && (config.batchEngine === 'spark' || config.lake !== '')) {
    const lake = resolveClusterLake(config);
    return hdfsBookLake(lake.location, lake.files);
  }
  return localBookLake(path.join(config.dataDir, 'lake'));
};

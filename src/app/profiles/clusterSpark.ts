/** The local stack's Spark master, as every Spark engine of the cluster profile submits to it. */
import type { SparkEndpoint } from '../../adapters/batch-engine/spark/sparkSubmit.js';
import type { Config } from '../config.js';
import { readStackEntry } from './stackEndpoints.js';

export const clusterSpark = (config: Config): SparkEndpoint =>
  readStackEntry('spark', config.stackDir, 'start the Spark stack component (npm run stack -- up spark), or use --batch-engine ts') as unknown as SparkEndpoint;

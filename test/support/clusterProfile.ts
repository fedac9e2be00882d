/**
 * Settings that run a platform on the cluster profile against the real stack, isolated from
 * every other test: a ledger schema and a Redis prefix of its own. Undefined (with the reason
 * on `missing`) when the stack is not up; under CI=true that is a failure, as requireStack says.
 */
import type { Config } from '../../src/app/config.js';
import { uniqueName } from '../contracts/polling.js';
import { requireStack } from './stack.js';

const postgres = requireStack('postgres');
const redis = requireStack('redis');

export const clusterStack = {
  skip: postgres.skip || redis.skip,
  /** Fresh cluster settings; `redisDb` picks a Redis logical database (a test that flushes uses its own). */
  config: (over: { redisDb?: number } = {}): Partial<Config> => {
    const name = uniqueName('tv').replace(/-/g, '_');
    const redisUrl = redis.endpoint().url.replace(/\/\d*$/, '') + (over.redisDb === undefined ? '' : `/${over.redisDb}`);
    return { profile: 'cluster', postgresUrl: postgres.endpoint().url, postgresSchema: name, redisUrl, redisPrefix: `${name}:` };
  },
};

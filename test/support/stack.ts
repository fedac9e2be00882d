/**
 * The real servers of the local stack (deploy/local/), as `npm test` started them. Their
 * addresses come from `{stackDir}/endpoints.json`, written by `npm run stack -- up`.
 *
 *   - endpoint present                 → the tests run against the real server;
 *   - endpoint missing, CI !== 'true'  → a warning says why, and the tests are skipped;
 *   - endpoint missing, CI === 'true'  → the tests run and fail, naming what is missing:
 *                                        a CI run never passes by skipping a server.
 *
 * Usage:
 *   const redis = requireStack('redis');
 *   describe.skipIf(redis.skip)('...', () => { ... redis.endpoint().url ... });
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './sharedData.js';

export const stackDir = path.resolve(repoRoot, process.env['TICKVAULT_STACK_DIR'] || '.stack');

export interface StackEndpoint {
  readonly url: string;
  readonly [detail: string]: unknown;
}

export interface StackService {
  readonly skip: boolean;
  readonly missing: string | undefined;
  /** The endpoint; throws the reason when the server is not up (a failure under CI). */
  endpoint(): StackEndpoint;
}

const readEndpoints = (): Record<string, StackEndpoint> | undefined => {
  const file = path.join(stackDir, 'endpoints.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, StackEndpoint>;
};

/** The endpoint of one stack server (`redis`, `postgres`, `kafka`, `hbase`, `spark`...). */
export const requireStack = (name: string): StackService => {
  const endpoints = readEndpoints();
  const found = endpoints?.[name];
  const missing =
    found !== undefined
      ? undefined
      : endpoints === undefined
        ? `no ${path.join(stackDir, 'endpoints.json')}: the stack is not up (npm test starts it; or npm run stack -- up)`
        : `the stack has no "${name}" endpoint (npm run stack -- up ${name})`;
  const ci = process.env['CI'] === 'true';
  if (missing !== undefined) {
    console.warn(ci ? `CI=true: tests that need ${name} will FAIL: ${missing}` : `skipping tests that need ${name}: ${missing}`);
  }
  return {
    skip: missing !== undefined && !ci,
    missing,
    endpoint: () => {
      if (found === undefined) throw new Error(`${missing} (under CI=true a missing server is a failure, not a skip)`);
      return found;
    },
  };
};

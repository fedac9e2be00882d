import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testLanes } from './test/testLanes.js';

// Three lanes (test/testLanes.ts says which file goes where and why):
//   parallel  server-free files first, two at a time in worker threads;
//   serial    then the files that use the real servers, start processes or drive Chromium, one
//             at a time in a process of their own (they share the servers and two cores);
//   spark     the files that run work on Spark, one at a time, also each in a process of its own.
// Not parallel beside the others: on two cores two threads already made timing-bound tests of the
// parallel lane (a rate limit's one-second window, a property test near its timeout) fail on a
// loaded machine. `npm test` (scripts/test.mjs) runs serial and spark side by side, as two vitest
// runs: vitest's limit on processes is one per pool kind across all projects, so within one run
// the two would take turns. A plain `npx vitest run` runs the three one after the other.
const lanes = testLanes(path.dirname(fileURLToPath(import.meta.url)));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every answer a test server gives is checked against its route's response schema (src/adapters/http/responseCheck.ts).
    env: { TICKVAULT_CHECK_RESPONSES: '1' },
    reporters: ['default'],
    poolOptions: {
      threads: { minThreads: 1, maxThreads: 2 },
      forks: { minForks: 1, maxForks: 1 },
    },
    projects: [
      { extends: true, test: { name: 'parallel', include: lanes.parallel, pool: 'threads', sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'serial', include: lanes.serial, pool: 'forks', sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'spark', include: lanes.spark, pool: 'forks', sequence: { groupOrder: 2 } } },
    ],
  },
});

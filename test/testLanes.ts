/**
 * Which test files may run side by side, decided from what each file does, so vitest.config.ts
 * can run the server-free files in parallel while the rest go one at a time.
 *
 * The files that go one at a time are two lanes: SPARK, those that run work on Spark (the spec
 * itself names `requireStack('spark')` or `sparkEngineStack`), and the other SERIAL files. The
 * two may run beside each other (`npm test` does): a Spark job spends most of its time in the
 * cluster's own JVMs, waiting on them, and only one Spark file at a time keeps the two-core
 * cluster to one job; while it waits, the other lane uses the processor.
 *
 * A file is SERIAL when it, or a test helper (test/support, test/contracts) it imports directly, does any of:
 *   - `requireStack(`  / `clusterStack`  talks to the real servers (Kafka, HBase, Spark, ...);
 *   - `node:child_process`               starts processes (the CLI, API processes, Python, Spark, Helm);
 *   - `playwright`                       drives Chromium.
 * Everything else (pure code, the embedded profile on SQLite in a temp folder, fake exchanges and
 * in-process servers on port 0) is PARALLEL. Only direct imports are read: `platform.ts` imports
 * `clusterProfile.ts` for its clean-up, yet an embedded-profile test that imports `platform.ts`
 * touches no server; a test that uses the cluster profile imports `clusterStack` itself.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SPARK_MARKER = /\brequireStack\('spark'\)|\bsparkEngineStack\b/;

const SERIAL_MARKERS = [/\brequireStack\(/, /\bclusterStack\b/, /['"]node:child_process['"]/, /['"]playwright(-core)?['"]/];

/** Where the test helpers live (this file is not one: it only reads the others). */
const HELPER_DIRS = ['support', 'contracts'].map((d) => `${path.sep}test${path.sep}${d}${path.sep}`);

const localImports = (file: string, source: string): string[] =>
  [...source.matchAll(/^\s*import\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((m) =>
    path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')),
  );

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // an import of a non-TypeScript file (JSON, .mjs) names no server either
  }
};

/** True when `file` (a spec) or a test helper it imports directly uses servers, processes or a browser. */
export const isSerial = (file: string): boolean => {
  const source = read(file);
  const helpers = localImports(file, source).filter((f) => HELPER_DIRS.some((dir) => f.includes(dir)));
  return [source, ...helpers.map(read)].some((text) => SERIAL_MARKERS.some((marker) => marker.test(text)));
};

const specs = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? specs(full) : e.name.endsWith('.spec.ts') ? [full] : [];
  });

/** True when the spec itself runs work on Spark (a Python reference that only uses the venv does not). */
export const usesSpark = (file: string): boolean => SPARK_MARKER.test(read(file));

/** Every spec under `testDir`, split into the three lanes (paths relative to `root`, as vitest's include wants). */
export const testLanes = (root: string, testDir = 'test'): { parallel: string[]; serial: string[]; spark: string[] } => {
  const all = specs(path.join(root, testDir)).sort();
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const oneAtATime = all.filter(isSerial);
  return {
    parallel: all.filter((f) => !isSerial(f)).map(rel),
    serial: oneAtATime.filter((f) => !usesSpark(f)).map(rel),
    spark: oneAtATime.filter(usesSpark).map(rel),
  };
};

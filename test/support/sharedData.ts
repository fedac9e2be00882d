/**
 * The real market data shared beside the repository (`../shared/data`, see its PROVENANCE.md).
 * It is never copied into the repo, so tests that read it must cope with its absence:
 *
 *   - data present                → the tests run;
 *   - data missing, CI !== 'true' → a warning says why, and the tests are skipped;
 *   - data missing, CI === 'true' → the tests run and fail, saying what is missing:
 *                                   a CI run must never pass by skipping.
 *
 * Usage:
 *   const data = requireSharedData('binance-spot-klines-1m-2023-02/BTCUSDT-1m-2023-02-01.csv');
 *   it.skipIf(data.skip)('...', () => { data.assertAvailable(); ... data.path('...') ... });
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** `../shared/data` beside the repository; TICKVAULT_SHARED_DATA points elsewhere (a checkout in another folder). */
export const sharedDataDir = path.resolve(repoRoot, process.env['TICKVAULT_SHARED_DATA'] || '../shared/data');

export interface SharedData {
  /** Use with `it.skipIf`: true only when data is missing and this is not a CI run. */
  readonly skip: boolean;
  /** Why the data cannot be used, or undefined when everything asked for is there. */
  readonly missing: string | undefined;
  /** Absolute path of a file or folder under the shared data folder. */
  path(relative: string): string;
  /** Throws the reason when data is missing: under CI the test fails instead of being skipped. */
  assertAvailable(): void;
}

/** Checks that the shared data folder and every listed path under it exist. */
export const requireSharedData = (...relativePaths: string[]): SharedData => {
  let missing: string | undefined;
  if (!existsSync(sharedDataDir)) missing = `shared data folder ${sharedDataDir} does not exist`;
  else {
    const absent = relativePaths.filter((p) => !existsSync(path.join(sharedDataDir, p)));
    if (absent.length > 0) missing = `shared data files missing under ${sharedDataDir}: ${absent.join(', ')}`;
  }
  const ci = process.env['CI'] === 'true';
  if (missing !== undefined) {
    console.warn(ci ? `CI=true: tests that need shared data will FAIL: ${missing}` : `skipping tests that need shared data: ${missing}`);
  }
  return {
    skip: missing !== undefined && !ci,
    missing,
    path: (relative) => path.join(sharedDataDir, relative),
    assertAvailable: () => {
      if (missing !== undefined) throw new Error(`${missing} (under CI=true missing shared data is a failure, not a skip)`);
    },
  };
};

/**
 * The seed of a test that chooses at random (the moments a crash test kills a process): taken
 * from TICKVAULT_TEST_SEED when set, else drawn fresh, and always printed, so a failing run can
 * be replayed with `TICKVAULT_TEST_SEED=<seed> npx vitest run <file>`.
 */
import { createRng, type Rng } from '../../src/domain/prng.js';

const ENV = 'TICKVAULT_TEST_SEED';

const seedOfRun = (): number => {
  const given = process.env[ENV];
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  if (!/^\d{1,10}$/.test(given)) throw new Error(`${ENV}: expected a non-negative integer (as printed by an earlier run), got "${given}"`);
  return Number(given);
};

/** This run's seed for `what`, printed with how to replay it. */
export const testSeed = (what: string): number => {
  const seed = seedOfRun();
  console.info(`${what}: seed ${seed} (replay with ${ENV}=${seed})`);
  return seed;
};

/** A fresh stream from `seed`: every test that draws from its own gets the same moments on a replay. */
export const seededRng = (seed: number): Rng => createRng(seed);

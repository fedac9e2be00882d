/**
 * A small seeded PRNG: sfc32 (fast, 128-bit state, passes PractRand) seeded through splitmix32,
 * with normals by Marsaglia's polar form of Box–Muller. Math.random is never used, so one seed
 * always gives the same stream. V8 computes Math.log/exp with its own fdlibm port, so the stream
 * (and everything derived from it) is the same on every platform the same Node major runs on.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Exponential with mean 1. */
  exponential(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number;
}

/** Any JS number (negative, fractional, huge) becomes 64 seed bits: its IEEE-754 bytes. */
const seedWords = (seed: number): [number, number] => {
  const f = new Float64Array([seed]);
  const w = new Uint32Array(f.buffer);
  return [w[0]!, w[1]!];
};

const splitmix32 = (state: number): (() => number) => {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
};

const TWO_POW_32 = 4294967296;

export const createRng = (seed: number): Rng => {
  const [lo, hi] = seedWords(seed);
  const mix = splitmix32(lo ^ Math.imul(hi, 0x27d4eb2d));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix() ^ hi;

  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  };
  // The first outputs of sfc32 still echo the seed; discard them.
  for (let i = 0; i < 16; i++) next();

  // Marsaglia's polar method: two normals per accepted pair, no sin/cos (about 21% of pairs
  // are redrawn), noticeably faster than textbook Box–Muller.
  let spare = 0;
  let hasSpare = false;
  const normal = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    hasSpare = true;
    return u * f;
  };

  return {
    next,
    normal,
    exponential: () => -Math.log(1 - next()),
    int: (n) => Math.floor(next() * n),
    between: (lo2, hi2) => lo2 + (hi2 - lo2) * next(),
  };
};

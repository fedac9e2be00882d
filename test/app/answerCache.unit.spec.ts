import { describe, expect, it } from 'vitest';
import { createAnswerCache } from '../../src/app/answerCache.js';

describe('answer cache', () => {
  it('computes once per key and version, again when the version moves, and never keeps a failure', async () => {
    const cache = createAnswerCache<number>(10);
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache('BTC', 1, compute)).toBe(1);
    expect(await cache('BTC', 1, compute)).toBe(1);
    expect(await cache('ETH', 1, compute)).toBe(2);
    expect(await cache('BTC', 2, compute)).toBe(3);
    await expect(cache('XRP', 2, () => Promise.reject(new Error('unknown symbol')))).rejects.toThrow('unknown symbol');
    await Promise.resolve();
    expect(await cache('XRP', 2, compute)).toBe(4);
  });

  it('holds at most its capacity, dropping the least recently computed', async () => {
    const cache = createAnswerCache<string>(2);
    const calls: string[] = [];
    const compute = (k: string) => async () => (calls.push(k), k);
    await cache('a', 1, compute('a'));
    await cache('b', 1, compute('b'));
    await cache('c', 1, compute('c'));
    await cache('b', 1, compute('b'));
    await cache('a', 1, compute('a'));
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});

/** This process's own rate-limit counters against the SecondBudgets contract, plus what only they promise. */
import { describe, expect, it } from 'vitest';
import { createLocalSecondBudgets } from '../../../src/adapters/http/access/secondBudgets.js';
import { secondBudgetsContract } from '../../contracts/secondBudgets.contract.js';

secondBudgetsContract('memory', async () => {
  const budgets = createLocalSecondBudgets();
  return { open: () => budgets, cleanup: async () => {} };
});

describe('memory SecondBudgets', () => {
  it('answers at once (no promise), and forgets a counter two seconds on', () => {
    let now = 5_000;
    const budgets = createLocalSecondBudgets(() => now);
    expect(budgets.reserve('key:a:5', 2, 2)).toEqual({ granted: 2, remaining: 0 });
    now = 6_100;
    // The last second's counter is kept (a request counted in it may still be reserving)...
    expect(budgets.reserve('key:a:5', 1, 2)).toEqual({ granted: 0, remaining: 0 });
    now = 8_000;
    // ...and dropped once no request can still name it.
    expect(budgets.reserve('key:a:5', 1, 2)).toEqual({ granted: 1, remaining: 1 });
  });
});

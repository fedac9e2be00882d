/** The portfolio fold: the latest definition wins, retirement sticks, the version counts every event. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../../src/domain/decider.js';
import { evolvePortfolio } from '../../../src/domain/portfolio/portfolioState.js';
import { weightsOf } from '../../../src/domain/portfolio/holdings.js';

const definition = fc.record({
  portfolioId: fc.constant('p'),
  name: fc.string({ minLength: 1, maxLength: 8 }),
  holdings: fc.constant({ kind: 'weights' as const, weights: { 'BTC-USDT': 1 } }),
});
const fact: fc.Arbitrary<Fact> = fc.oneof(
  definition.map((data) => ({ type: 'PortfolioDefined' as const, data })),
  definition.map((data) => ({ type: 'PortfolioRedefined' as const, data })),
  fc.constant({ type: 'PortfolioRetired' as const, data: { portfolioId: 'p', reason: 'r' } }),
);

describe('evolvePortfolio', () => {
  it('holds the last definition, is retired once any retirement came after a definition, and counts its events', () => {
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 12 }), (facts) => {
        const state = facts.reduce(evolvePortfolio, null);
        const firstDefinition = facts.findIndex((f) => f.type !== 'PortfolioRetired');
        if (firstDefinition < 0) {
          expect(state).toBeNull();
          return;
        }
        const defs = facts.filter((f) => f.type !== 'PortfolioRetired');
        expect(state!.name).toBe((defs[defs.length - 1]!.data as { name: string }).name);
        expect(state!.retired !== null).toBe(facts.slice(firstDefinition).some((f) => f.type === 'PortfolioRetired'));
        expect(state!.version).toBe(facts.length - firstDefinition);
      }),
    );
  });
});

describe('weightsOf', () => {
  it('values positions at the closes given, as fractions of the whole', () => {
    expect(weightsOf({ kind: 'positions', positions: { 'BTC-USDT': 1, 'ETH-USDT': 10 } }, { 'BTC-USDT': 30_000, 'ETH-USDT': 2_000 })).toEqual({ 'BTC-USDT': 0.6, 'ETH-USDT': 0.4 });
  });
});

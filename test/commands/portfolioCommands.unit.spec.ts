/** Define, redefine and retire a portfolio: given its stream, when a command arrives, then these events or this refusal. */
import { describe, expect, it } from 'vitest';
import { definePortfolioDecider, portfolioDefinition } from '../../src/commands/definePortfolio.js';
import { redefinePortfolioDecider } from '../../src/commands/redefinePortfolio.js';
import { retirePortfolioDecider } from '../../src/commands/retirePortfolio.js';
import { CommandRejectedError, InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import type { PortfolioDefinedData } from '../../src/domain/events/portfolio.js';
import type { Fact } from '../../src/domain/decider.js';
import { command, deciderSpec, TEST_ORIGIN } from '../support/decider.js';

const defined: PortfolioDefinedData = { portfolioId: 'core', name: 'Core', holdings: { kind: 'weights', weights: { 'BTC-USDT': 0.6, 'ETH-USDT': 0.4 } } };
const definedFact: Fact = { type: 'PortfolioDefined', data: defined };
const retiredFact: Fact = { type: 'PortfolioRetired', data: { portfolioId: 'core', reason: 'closed' } };
const meta = { actor: TEST_ORIGIN.actor, correlationId: TEST_ORIGIN.correlationId, causationId: null, source: TEST_ORIGIN.source };

describe('portfolioDefinition (the input)', () => {
  it('takes weights summing to 1 or positive positions', () => {
    expect(portfolioDefinition({ name: 'Core', holdings: defined.holdings }, 'core')).toEqual(defined);
    expect(portfolioDefinition({ portfolioId: 'desk-1', name: 'Desk', holdings: { kind: 'positions', positions: { 'BTC-USDT': 2.5 } } }, undefined).portfolioId).toBe('desk-1');
  });

  it.each([
    [{ name: 'X', holdings: { kind: 'weights', weights: { 'BTC-USDT': 0.5, 'ETH-USDT': 0.4 } } }, /sum to 0\.9.*must sum to 1/],
    [{ name: 'X', holdings: { kind: 'weights', weights: { 'BTC-USDT': 1.2, 'ETH-USDT': -0.2 } } }, /BTC-USDT: expected a weight from 0 to 1/],
    [{ name: 'X', holdings: { kind: 'positions', positions: { 'BTC-USDT': 0 } } }, /expected a positive quantity/],
    [{ name: 'X', holdings: { kind: 'weights', weights: {} } }, /at least one symbol/],
    [{ name: 'X', holdings: { kind: 'weights', weights: { 'btc usdt': 1 } } }, /BASE-QUOTE/],
    [{ name: 'X', holdings: { kind: 'shares', weights: { 'BTC-USDT': 1 } } }, /holdings/],
    [{ holdings: defined.holdings }, /name/],
  ])('refuses %j, naming what is wrong', (input, message) => {
    expect(() => portfolioDefinition(input, 'p')).toThrow(InvalidInputError);
    expect(() => portfolioDefinition(input, 'p')).toThrow(message);
  });

  it('refuses an id the streams cannot hold', () => {
    expect(() => portfolioDefinition({ name: 'X', holdings: defined.holdings }, 'a/b')).toThrow(/portfolioId: expected 1-64 letters/);
  });
});

describe('definePortfolio', () => {
  const spec = deciderSpec(definePortfolioDecider);

  it('records the definition with its actor', () => {
    spec.given([]).when(command(defined)).then([{ id: 'id-1', type: 'PortfolioDefined', schemaVersion: 1, stream: 'portfolios/core', data: defined, meta }]);
  });

  it('records nothing for the same definition again (a retry)', () => {
    spec.given([definedFact]).when(command(defined)).thenNothingHappened();
  });

  it('refuses another definition under a taken id', () => {
    spec.given([definedFact]).when(command({ ...defined, name: 'Other' })).thenThrows(CommandRejectedError, /already exists: redefine it with PUT/);
  });
});

describe('redefinePortfolio', () => {
  const spec = deciderSpec(redefinePortfolioDecider);
  const next: PortfolioDefinedData = { ...defined, holdings: { kind: 'positions', positions: { 'SOL-USDT': 10 } } };

  it('records new holdings of a defined portfolio', () => {
    spec.given([definedFact]).when(command(next)).then([{ id: 'id-1', type: 'PortfolioRedefined', schemaVersion: 1, stream: 'portfolios/core', data: next, meta }]);
  });

  it('records nothing when nothing changes, and refuses a portfolio that is missing or retired', () => {
    spec.given([definedFact]).when(command(defined)).thenNothingHappened();
    spec.given([]).when(command(next)).thenThrows(NotFoundError, /no portfolio core/);
    spec.given([definedFact, retiredFact]).when(command(next)).thenThrows(CommandRejectedError, /retired \(closed\)/);
  });

  it('sees the latest holdings after a redefinition', () => {
    spec.given([definedFact, { type: 'PortfolioRedefined', data: next }]).when(command(next)).thenNothingHappened();
  });
});

describe('retirePortfolio', () => {
  const spec = deciderSpec(retirePortfolioDecider);

  it('retires a defined portfolio once', () => {
    const data = { portfolioId: 'core', reason: 'closed' };
    spec.given([definedFact]).when(command(data)).then([{ id: 'id-1', type: 'PortfolioRetired', schemaVersion: 1, stream: 'portfolios/core', data, meta }]);
    spec.given([definedFact, retiredFact]).when(command(data)).thenThrows(CommandRejectedError, /already retired/);
    spec.given([]).when(command(data)).thenThrows(NotFoundError, /no portfolio core/);
  });
});

/**
 * DefinePortfolio: a named portfolio of weights or positions. A given portfolioId makes the
 * command idempotent: the same definition again records nothing; a different one under a taken id
 * is refused (redefine it instead).
 */
import * as t from 'io-ts';
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, InvalidInputError } from '../domain/errors.js';
import { HoldingsData, type PortfolioDefinedData } from '../domain/events/portfolio.js';
import { checkHoldings } from '../domain/portfolio/holdings.js';
import { evolvePortfolio, type PortfolioState } from '../domain/portfolio/portfolioState.js';
import { portfolioStream } from '../domain/streams.js';
import { NonEmptyString, validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

const PORTFOLIO_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const DefinePortfolioInput = t.intersection([t.type({ name: NonEmptyString, holdings: HoldingsData }), t.partial({ portfolioId: NonEmptyString })]);

/** The validated definition: a typed error names what is wrong with the input. */
export const portfolioDefinition = (input: unknown, portfolioId: string | undefined): PortfolioDefinedData => {
  const v = validate(DefinePortfolioInput, input);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const id = portfolioId ?? v.value.portfolioId;
  if (id === undefined || !PORTFOLIO_ID.test(id)) throw new InvalidInputError(`portfolioId: expected 1-64 letters, digits, "-" or "_", got ${JSON.stringify(id)}`);
  checkHoldings(v.value.holdings);
  return { portfolioId: id, name: v.value.name, holdings: v.value.holdings };
};

export const sameDefinition = (state: PortfolioState, d: PortfolioDefinedData): boolean =>
  state.name === d.name && JSON.stringify(state.holdings) === JSON.stringify(d.holdings);

export const definePortfolioDecider: Decider<Command<PortfolioDefinedData>, PortfolioState | null> = {
  decide: ({ data, metadata }, state) => {
    if (state !== null) {
      if (sameDefinition(state, data) && state.retired === null) return [];
      throw new CommandRejectedError(`portfolio ${data.portfolioId} already exists: redefine it with PUT /api/v1/portfolios/${data.portfolioId}`);
    }
    return [newEvent(metadata.nextId(), 'PortfolioDefined', portfolioStream(data.portfolioId), data, metadata.origin)];
  },
  evolve: evolvePortfolio,
  initialState: () => null,
};

export const definePortfolio = async (deps: CommandDeps, input: unknown, origin: CommandOrigin): Promise<{ portfolioId: string; position: number; created: boolean }> => {
  const given = (input as { portfolioId?: unknown } | null)?.portfolioId;
  const data = portfolioDefinition(input, given === undefined ? deps.ids.next() : undefined);
  const { result } = await handleCommand(deps.ledger, {
    decider: definePortfolioDecider,
    command: { data, metadata: metadataFor(deps, origin) },
    stream: portfolioStream(data.portfolioId),
  });
  const appended = result?.appended[0];
  return { portfolioId: data.portfolioId, position: appended?.position ?? 0, created: appended !== undefined };
};

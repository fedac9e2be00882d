/** RedefinePortfolio: new holdings (and name) for a portfolio that exists and is not retired; the same again records nothing. */
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, NotFoundError } from '../domain/errors.js';
import type { PortfolioRedefinedData } from '../domain/events/portfolio.js';
import { evolvePortfolio, type PortfolioState } from '../domain/portfolio/portfolioState.js';
import { portfolioStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { portfolioDefinition, sameDefinition } from './definePortfolio.js';
import { handleCommand } from './handleCommand.js';

export const redefinePortfolioDecider: Decider<Command<PortfolioRedefinedData>, PortfolioState | null> = {
  decide: ({ data, metadata }, state) => {
    if (state === null) throw new NotFoundError(`no portfolio ${data.portfolioId}`);
    if (state.retired !== null) throw new CommandRejectedError(`portfolio ${data.portfolioId} is retired (${state.retired.reason}): define a new one`);
    if (sameDefinition(state, data)) return [];
    return [newEvent(metadata.nextId(), 'PortfolioRedefined', portfolioStream(data.portfolioId), data, metadata.origin)];
  },
  evolve: evolvePortfolio,
  initialState: () => null,
};

export const redefinePortfolio = async (deps: CommandDeps, portfolioId: string, input: unknown, origin: CommandOrigin): Promise<{ portfolioId: string; position: number; changed: boolean }> => {
  const data = portfolioDefinition(input, portfolioId);
  const { result } = await handleCommand(deps.ledger, {
    decider: redefinePortfolioDecider,
    command: { data, metadata: metadataFor(deps, origin) },
    stream: portfolioStream(portfolioId),
  });
  const appended = result?.appended[0];
  return { portfolioId, position: appended?.position ?? 0, changed: appended !== undefined };
};

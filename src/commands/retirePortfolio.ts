/** RetirePortfolio: the portfolio stays in the ledger and in listings, marked retired; it can no longer be redefined. */
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, NotFoundError } from '../domain/errors.js';
import type { PortfolioRetiredData } from '../domain/events/portfolio.js';
import { evolvePortfolio, type PortfolioState } from '../domain/portfolio/portfolioState.js';
import { portfolioStream } from '../domain/streams.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const retirePortfolioDecider: Decider<Command<PortfolioRetiredData>, PortfolioState | null> = {
  decide: ({ data, metadata }, state) => {
    if (state === null) throw new NotFoundError(`no portfolio ${data.portfolioId}`);
    if (state.retired !== null) throw new CommandRejectedError(`portfolio ${data.portfolioId} is already retired`);
    return [newEvent(metadata.nextId(), 'PortfolioRetired', portfolioStream(data.portfolioId), data, metadata.origin)];
  },
  evolve: evolvePortfolio,
  initialState: () => null,
};

export const retirePortfolio = async (deps: CommandDeps, portfolioId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: retirePortfolioDecider,
    command: { data: { portfolioId, reason }, metadata: metadataFor(deps, origin) },
    stream: portfolioStream(portfolioId),
  });
  return { position: result!.appended[0]!.position };
};

/**
 * RecordPortfolioOptimisation: keeps an optimisation's answer (weights, performance, and what it
 * was computed from) as a fact. Each request is its own optimisation, with its own id.
 */
import { statelessDecider } from '../domain/decider.js';
import { InvalidInputError } from '../domain/errors.js';
import { PortfolioOptimisedData } from '../domain/events/portfolio.js';
import { portfolioOptimisationStream } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const recordPortfolioOptimisationDecider = statelessDecider(({ data, metadata }: Command<unknown>) => {
  const v = validate(PortfolioOptimisedData, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  return [newEvent(metadata.nextId(), 'PortfolioOptimised', portfolioOptimisationStream(v.value.portfolioId), v.value, metadata.origin, `optimisation/${v.value.optimisationId}`)];
});

export const recordPortfolioOptimisation = async (deps: CommandDeps, data: PortfolioOptimisedData, origin: CommandOrigin): Promise<{ position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: recordPortfolioOptimisationDecider,
    command: { data, metadata: metadataFor(deps, origin) },
  });
  return { position: result!.appended[0]?.position ?? result!.head };
};

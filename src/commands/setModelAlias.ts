/**
 * SetModelAlias: points an alias (`champion`, `challenger`, any short word) of a registered model
 * at one of its versions, or removes it (version null), with the reason and the actor on record.
 * Promotion is this command with the alias `champion`. Pointing an alias where it already points
 * appends nothing.
 */
import * as t from 'io-ts';
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { ModelAliasSetData } from '../domain/events/models.js';
import { evolveModelStream, initialModelStreamState, type ModelStreamState } from '../domain/modelRegistry/modelStreamState.js';
import { modelStream } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

const SetModelAliasInput = t.intersection([t.type({ modelId: ModelAliasSetData.props.modelId, alias: ModelAliasSetData.props.alias, version: ModelAliasSetData.props.version }), t.partial({ reason: t.string })]);

export const setModelAliasDecider: Decider<Command<unknown>, ModelStreamState> = {
  initialState: initialModelStreamState,
  evolve: evolveModelStream,
  decide: ({ data, metadata }, state) => {
    const v = validate(SetModelAliasInput, data);
    if (!v.ok) throw new InvalidInputError(v.reason);
    const { modelId, alias, version } = v.value;
    if (state.versions.length === 0) throw new NotFoundError(`no model ${modelId}: train it first (POST /api/v1/models/trainings or tickvault models train)`);
    if (version !== null && version > state.versions.length) {
      throw new NotFoundError(`model ${modelId} has versions 1-${state.versions.length}; there is no version ${version}`);
    }
    const current = state.aliases[alias];
    if (version === null && current === undefined) throw new CommandRejectedError(`model ${modelId} has no alias ${alias} to remove`);
    if (current === version) return [];
    return [newEvent(metadata.nextId(), 'ModelAliasSet', modelStream(modelId), { modelId, alias, version, reason: v.value.reason ?? '' }, metadata.origin)];
  },
};

export const setModelAlias = async (deps: CommandDeps, input: { modelId: string } & Record<string, unknown>, origin: CommandOrigin): Promise<{ changed: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: setModelAliasDecider,
    command: { data: input, metadata: metadataFor(deps, origin) },
    stream: modelStream(input.modelId),
  });
  const appended = result?.appended[0];
  return { changed: appended !== undefined, position: appended?.position ?? 0 };
};

/**
 * RevokeApiKey: the key stops working (on every API process once its key book has read the
 * event). Revoking a revoked key again decides nothing; an unknown key id is a 404. The last
 * active admin key is never revoked (a 409): without one nobody could make or revoke keys over
 * the API again. Decided on the key stream's state and appended with its version, so two admins
 * revoking each other's keys at once cannot both succeed and leave none.
 */
import { evolveApiKeys, noApiKeys, type ApiKeys } from '../domain/access/apiKeys.js';
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, NotFoundError } from '../domain/errors.js';
import { API_KEY_STREAM } from '../domain/streams.js';
import { describeValue } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export type RevokeApiKey = Command<{ keyId: string; reason: string }>;

export const revokeApiKeyDecider: Decider<RevokeApiKey, ApiKeys> = {
  initialState: noApiKeys,
  evolve: evolveApiKeys,
  decide: ({ data, metadata }, keys) => {
    const key = keys.get(data.keyId);
    if (key === undefined) throw new NotFoundError(`no API key ${describeValue(data.keyId)}: \`tickvault keys list\` or GET /api/v1/keys lists them`);
    if (key.revoked) return [];
    if (key.role === 'admin' && ![...keys.values()].some((k) => k.role === 'admin' && !k.revoked && k.keyId !== key.keyId)) {
      throw new CommandRejectedError(`${key.keyId} ("${key.name}") is the last active admin key: revoking it would leave nobody able to manage keys; make another admin key first (\`tickvault keys create --role admin --name NAME\`), then revoke this one`);
    }
    return [newEvent(metadata.nextId(), 'KeyRevoked', API_KEY_STREAM, { keyId: key.keyId, name: key.name, role: key.role, reason: data.reason }, metadata.origin)];
  },
};

/** `revoked`: false when the key was revoked already (position is then the head's, nothing appended). */
export const revokeApiKey = async (deps: CommandDeps, keyId: string, reason: string, origin: CommandOrigin): Promise<{ keyId: string; revoked: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: revokeApiKeyDecider,
    stream: API_KEY_STREAM,
    command: { data: { keyId, reason }, metadata: metadataFor(deps, origin) },
  });
  const appended = result?.appended[0];
  return { keyId, revoked: appended !== undefined, position: appended?.position ?? (await deps.ledger.head()).position };
};

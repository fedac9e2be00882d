/**
 * IssueApiKey: a named key of one role. The caller makes the key and passes only its SHA-256
 * (the command never sees the key, so no event can carry it). Decided on the key stream's state,
 * appended with its version: `bootstrap` (the first admin key a fresh platform makes) is refused
 * once any key exists, so two processes starting together make one.
 */
import * as t from 'io-ts';
import { evolveApiKeys, noApiKeys, type ApiKeys } from '../domain/access/apiKeys.js';
import { Role } from '../domain/access/roles.js';
import type { Decider } from '../domain/decider.js';
import { CommandRejectedError, InvalidInputError } from '../domain/errors.js';
import { API_KEY_STREAM } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { decidedOfType, handleCommand } from './handleCommand.js';

const NAME = /^[\w .@:-]{1,64}$/;
const HASH = /^[0-9a-f]{64}$/;

export const IssueApiKeyInput = t.type({ name: t.string, role: Role });

export interface IssueApiKeyData {
  /** `{name, role}`, unvalidated: the decision names what is wrong with it. */
  readonly input: unknown;
  readonly keyHash: string;
  /** Refused unless no key was ever issued. */
  readonly bootstrap?: boolean;
}
export type IssueApiKey = Command<IssueApiKeyData>;

export const issueApiKeyDecider: Decider<IssueApiKey, ApiKeys> = {
  initialState: noApiKeys,
  evolve: evolveApiKeys,
  decide: ({ data, metadata }, keys) => {
    const v = validate(IssueApiKeyInput, data.input);
    if (!v.ok) throw new InvalidInputError(`${v.reason} (for example {"name": "risk desk", "role": "risk"})`);
    if (!NAME.test(v.value.name)) throw new InvalidInputError(`name: expected 1-64 letters, digits, spaces or . @ : _ -, got ${JSON.stringify(v.value.name.slice(0, 80))}`);
    if (!HASH.test(data.keyHash)) throw new InvalidInputError('keyHash: expected the SHA-256 of the key, 64 lower-case hex digits');
    if (data.bootstrap === true && keys.size > 0) throw new CommandRejectedError('keys exist already: the first admin key is made only on a platform without any');
    const keyId = `key-${metadata.nextId()}`;
    return [newEvent(metadata.nextId(), 'KeyIssued', API_KEY_STREAM, { keyId, name: v.value.name, role: v.value.role, keyHash: data.keyHash }, metadata.origin)];
  },
};

export const issueApiKey = async (deps: CommandDeps, data: IssueApiKeyData, origin: CommandOrigin): Promise<{ keyId: string; name: string; role: Role; position: number }> => {
  const { decided, result } = await handleCommand(deps.ledger, {
    decider: issueApiKeyDecider,
    stream: API_KEY_STREAM,
    command: { data, metadata: metadataFor(deps, origin) },
  });
  const { keyId, name, role } = decidedOfType(decided, 'KeyIssued')!.data;
  return { keyId, name, role, position: result!.appended[0]!.position };
};

/**
 * RecordBookDigest: vouches for one interval of one order book that is now durably in the lake.
 * Idempotent by book, interval and hash, so the archive may record again after a restart that
 * found the interval's rows still in its journal: a repeat appends nothing.
 */
import { statelessDecider } from '../domain/decider.js';
import { InvalidInputError } from '../domain/errors.js';
import { BookDigestRecordedData, bookDigestKey } from '../domain/events/bookDigests.js';
import { bookDigestStream } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const recordBookDigestDecider = statelessDecider(({ data, metadata }: Command<unknown>) => {
  const v = validate(BookDigestRecordedData, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  const d = v.value;
  return [newEvent(metadata.nextId(), 'BookDigestRecorded', bookDigestStream(d.exchange, d.symbol, d.intervalStart), d, metadata.origin, bookDigestKey(d))];
});

export const recordBookDigest = async (deps: CommandDeps, data: BookDigestRecordedData, origin: CommandOrigin): Promise<{ recorded: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, { decider: recordBookDigestDecider, command: { data, metadata: metadataFor(deps, origin) } });
  const appended = result?.appended[0];
  if (appended !== undefined) return { recorded: true, position: appended.position };
  const existing = await deps.ledger.findByDedupKey(bookDigestKey(data));
  return { recorded: false, position: existing?.position ?? 0 };
};

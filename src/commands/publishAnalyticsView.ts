/**
 * PublishAnalyticsView: records that a correlation matrix or network was published, as a
 * BatchViewPublished carrying the SHA-256 of the view's canonical JSON. Idempotent by view, as-of day
 * and hash: the nightly job run twice (a restart, two cluster processes) records one event, while a
 * view whose content changed (a correction's recompute changed a close) is recorded anew.
 */
import { statelessDecider } from '../domain/decider.js';
import { InvalidInputError } from '../domain/errors.js';
import { BatchViewPublishedData } from '../domain/events/corrections.js';
import { viewStream } from '../domain/streams.js';
import { validate } from '../domain/validation.js';
import { metadataFor, newEvent, type Command, type CommandDeps, type CommandOrigin } from './commandContext.js';
import { handleCommand } from './handleCommand.js';

export const analyticsViewKey = (d: BatchViewPublishedData): string => `view-published/${d.view}/${d.asOf ?? ''}/${d.contentHash ?? ''}`;

export const publishAnalyticsViewDecider = statelessDecider(({ data, metadata }: Command<unknown>) => {
  const v = validate(BatchViewPublishedData, data);
  if (!v.ok) throw new InvalidInputError(v.reason);
  if (v.value.contentHash === undefined || v.value.asOf === undefined) throw new InvalidInputError('an analytics view is published with its asOf day and contentHash');
  return [newEvent(metadata.nextId(), 'BatchViewPublished', viewStream(v.value.view), v.value, metadata.origin, analyticsViewKey(v.value))];
});

export const publishAnalyticsView = async (
  deps: CommandDeps,
  data: BatchViewPublishedData,
  origin: CommandOrigin,
): Promise<{ recorded: boolean; position: number }> => {
  const { result } = await handleCommand(deps.ledger, {
    decider: publishAnalyticsViewDecider,
    command: { data, metadata: metadataFor(deps, origin) },
  });
  const appended = result?.appended[0];
  if (appended !== undefined) return { recorded: true, position: appended.position };
  const existing = await deps.ledger.findByDedupKey(analyticsViewKey(data));
  return { recorded: false, position: existing?.position ?? 0 };
};

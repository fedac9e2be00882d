/**
 * Taking up a partition: the group's committed offset may be past the partition's snapshot (the
 * member that folded it was killed between a commit and a save, or the snapshot is older), and
 * what lies between is exactly what the ledger holds. So before its first message, a partition
 * new to this member folds from the ledger the rule events and its own trades between its fold's
 * position and that message.
 */
import type { AlertOutput } from '../../../domain/detectors/alertFold.js';
import type { Ledger } from '../../../domain/ports.js';
import { keyOf, topicOf } from '../../relay/topics.js';
import { isRuleEvent } from './ledgerRules.js';
import { foldInto, type PartitionFold } from './partitionFold.js';
import type { PartitionLookup } from './partitionLookup.js';

const READ_PAGE = 5_000;

export interface JoinDeps {
  readonly ledger: Ledger;
  /** The topic the engine consumes. */
  readonly topic: string;
  readonly partitionOf: PartitionLookup;
}

/** Folds into partition `p`'s fold what the ledger holds for it strictly between the fold's position and `before`; marks it joined. */
export const joinFromLedger = async (deps: JoinDeps, p: number, s: PartitionFold, before: number, out: AlertOutput[]): Promise<void> => {
  for (let after = s.checkpoint; after < before - 1; ) {
    const page = await deps.ledger.read(after, Math.min(READ_PAGE, before - 1 - after));
    if (page.length === 0) break;
    for (const e of page) {
      if (isRuleEvent(e) || (topicOf(e) === deps.topic && (await deps.partitionOf(keyOf(e))) === p)) foldInto(s, e, out);
    }
    after = page[page.length - 1]!.position;
  }
  s.joined = true;
};

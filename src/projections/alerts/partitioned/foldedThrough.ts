/**
 * What `waitFor` of the consumer-group engine asks: is every trade through a ledger position
 * that belongs to a partition this member owns folded, and its alerts recorded? The bus does not
 * say which positions a partition holds, so the answer reads the ledger: from where the last
 * look got to, stopping at the first trade of an owned partition not yet recorded.
 */
import type { Ledger } from '../../../domain/ports.js';
import { keyOf, topicOf } from '../../relay/topics.js';
import type { PartitionLookup } from './partitionLookup.js';

const READ_PAGE = 5_000;
/** The first page a look reads from the ledger. */
const FIRST_CHECK_PAGE = 100;

export interface FoldedThroughDeps {
  readonly ledger: Ledger;
  /** The topic the engine consumes. */
  readonly topic: string;
  readonly partitionOf: PartitionLookup;
  /** The position through which partition `p`'s alerts are recorded (0 for a partition not taken up yet). */
  readonly recorded: (p: number) => number;
}

export interface FoldedThrough {
  /** The partitions the group gave this member (none before the first rebalance); what was verified is checked again. */
  assigned(owned: ReadonlySet<number>): void;
  /** True once every trade through `target` of an owned partition is folded and recorded. */
  check(target: number): Promise<boolean>;
}

export const createFoldedThrough = (deps: FoldedThroughDeps): FoldedThrough => {
  let owned: ReadonlySet<number> = new Set();
  /** Every owned partition's trades through this position are folded and recorded. */
  let verifiedThrough = 0;
  /** The unfolded trade the last look stopped at: until its partition passes it, there is nothing to read. */
  let waitingOn: { partition: number; position: number } | undefined;

  return {
    assigned(mine) {
      owned = mine;
      verifiedThrough = 0;
      waitingOn = undefined;
    },
    async check(target) {
      if (target <= verifiedThrough) return true;
      if (owned.size === 0) return false;
      // The trade the last look stopped at only blocks a target at or beyond it: asked for an
      // earlier position, everything before it was already seen to be folded.
      if (waitingOn !== undefined && waitingOn.position <= target && owned.has(waitingOn.partition) && deps.recorded(waitingOn.partition) < waitingOn.position) return false;
      waitingOn = undefined;
      // A partition's messages come in ledger order, so every owned partition is folded through its
      // `recorded`: nothing at or before the lowest of them needs reading. Without this a waitFor
      // after a burst read the whole burst back from the ledger.
      const lowest = Math.min(...[...owned].map((p) => deps.recorded(p)));
      if (lowest > verifiedThrough) verifiedThrough = Math.min(lowest, target);
      // Pages grow from small: while the folds are behind, the first unfolded trade is usually near
      // the start, and a poll should not read (from the database, when far behind) a page it then drops.
      let pageSize = FIRST_CHECK_PAGE;
      for (let after = verifiedThrough; after < target; pageSize = Math.min(pageSize * 4, READ_PAGE)) {
        const page = await deps.ledger.read(after, Math.min(pageSize, target - after));
        if (page.length === 0) return false;
        for (const e of page) {
          if (topicOf(e) !== deps.topic) continue;
          const p = await deps.partitionOf(keyOf(e));
          if (owned.has(p) && deps.recorded(p) < e.position) {
            waitingOn = { partition: p, position: e.position };
            return false;
          }
          verifiedThrough = e.position;
        }
        after = verifiedThrough = page[page.length - 1]!.position;
      }
      return true;
    },
  };
};

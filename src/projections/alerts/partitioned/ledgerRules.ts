/**
 * The alert rules as the ledger holds them, for the consumer-group engine: rules are ledger
 * events and must reach every member whole, whatever partitions it owns, so each member reads
 * them from the ledger rather than from the bus. Read up to the ledger's head (which covers
 * every message the relay has published) whenever a message is newer than what was read.
 */
import type { EventType } from '../../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import type { Ledger } from '../../../domain/ports.js';

const RULE_STREAMS = 'alert-rules/';
const RULE_TYPES: readonly EventType[] = ['AlertRuleRegistered', 'AlertRuleRetired'];
const READ_PAGE = 5_000;

export const isRuleEvent = (e: RecordedEvent): boolean => (RULE_TYPES as readonly string[]).includes(e.type);

export interface LedgerRules {
  /** The ledger position through which every rule event has been read. */
  readonly through: number;
  /**
   * Reads the rule events recorded since the last refresh, up to the ledger's head. The first
   * time stream by stream (indexed, whatever the ledger's length); after that by type from
   * `through`, which looks only at the events since instead of reading every rule again.
   */
  refresh(): Promise<void>;
  /** The rule events strictly between two positions, in position order. */
  between(after: number, before: number): RecordedEvent[];
}

export const createLedgerRules = (ledger: Ledger): LedgerRules => {
  /** Rule events of the ledger through `through`, in position order. */
  const rules: RecordedEvent[] = [];
  let through = 0;
  return {
    get through() {
      return through;
    },
    async refresh() {
      const head = (await ledger.head()).position;
      const fresh: RecordedEvent[] = [];
      if (through === 0) {
        for (const stream of await ledger.streamsMatching(RULE_STREAMS, '')) fresh.push(...(await ledger.readStream(stream, { throughPosition: head })));
        fresh.sort((a, b) => a.position - b.position);
      } else {
        for (let after = through; ; ) {
          const page = (await ledger.readTypes(after, RULE_TYPES, READ_PAGE)).filter((e) => e.position <= head);
          fresh.push(...page);
          if (page.length < READ_PAGE) break;
          after = page[page.length - 1]!.position;
        }
      }
      rules.push(...fresh);
      through = head;
    },
    between: (after, before) => rules.filter((r) => r.position > after && r.position < before),
  };
};

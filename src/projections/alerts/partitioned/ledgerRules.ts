/**
 * The alert rules as the ledger holds them, for the consumer-group engine (and, the rules alone,
 * for the book signals, app/bookSignals.ts): rules are ledger
 * events and must reach every member whole, whatever partitions it owns, so each member reads
 * them from the ledger rather than from the bus. So must the champion anomaly models the
 * `anomaly-model` detector scores with (ModelTrained of the anomaly kind, ModelAliasSet): they are
 * read and fed to the folds the same way, in ledger-position order. Read up to the ledger's head (which covers
 * every message the relay has published) whenever a message is newer than what was read.
 */
import type { EventType } from '../../../domain/events/catalogue.js';
import type { RecordedEvent } from '../../../domain/events/envelope.js';
import type { Ledger } from '../../../domain/ports.js';

const RULE_STREAMS = ['alert-rules/', 'models/'];
const RULE_TYPES: readonly EventType[] = ['AlertRuleRegistered', 'AlertRuleRetired', 'ModelTrained', 'ModelAliasSet'];
/** The rules alone, for a reader with no use for the models (the book signals). */
const ONLY_RULES = { streams: ['alert-rules/'], types: ['AlertRuleRegistered', 'AlertRuleRetired'] as readonly EventType[] };
const READ_PAGE = 5_000;

/** Other models' trainings carry whole forests the folds ignore: they are not kept. */
export const isRuleEvent = (e: RecordedEvent): boolean =>
  (RULE_TYPES as readonly string[]).includes(e.type) && (e.type !== 'ModelTrained' || (e.data as { kind?: unknown }).kind === 'anomaly');

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

export const createLedgerRules = (ledger: Ledger, options: { readonly models?: boolean } = {}): LedgerRules => {
  const { streams, types } = options.models === false ? ONLY_RULES : { streams: RULE_STREAMS, types: RULE_TYPES };
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
        for (const prefix of streams) {
          for (const stream of await ledger.streamsMatching(prefix, '')) fresh.push(...(await ledger.readStream(stream, { throughPosition: head })).filter(isRuleEvent));
        }
        fresh.sort((a, b) => a.position - b.position);
      } else {
        for (let after = through; ; ) {
          const page = (await ledger.readTypes(after, types, READ_PAGE)).filter((e) => e.position <= head);
          fresh.push(...page.filter(isRuleEvent));
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

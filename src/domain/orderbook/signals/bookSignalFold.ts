/**
 * The registered rules of the book detectors (`spoofing`, `book-arbitrage`: catalogue.ts) run over
 * the book rows: one spoofing detector per rule and book, one arbitrage fold per rule, each with
 * its rule's params, over the symbols it names, raising with its rule's id and severity. Rules
 * come from AlertRuleRegistered / AlertRuleRetired as the alert engine's do; a retired rule's
 * detectors are dropped, so it raises nothing more. Pure: the caller feeds it the rule events and
 * the rows (with the books after each) and records what it returns.
 *
 * Its whole state can be saved (`snapshot()`) and restored (`restoreBookSignalFold`): restoring
 * the snapshot taken after rows A and folding rows B gives exactly the outputs of folding A then
 * B, so an episode in progress across a restart is raised once, as without the restart.
 */
import type { AlertOutput } from '../../detectors/alertFold.js';
import { alertIdOf, checkRecordedDetectorParams, isBookDetector, recordedParams } from '../../detectors/catalogue.js';
import { restoreFold, type Restored, readMap, readObject, saveMap, SavedStateError } from '../../detectors/savedState.js';
import type { DomainEvent } from '../../events/catalogue.js';
import { AlertRuleRegisteredData } from '../../events/signals.js';
import { validate } from '../../validation.js';
import { bookKey, type BookRow } from '../archive/bookRow.js';
import type { OrderBook } from '../orderBook.js';
import { createArbitrageAlertFold, type ArbitrageAlertFold, type ArbitrageAlertParams, type ArbitrageSignal, type ExchangeBook } from './arbitrageAlert.js';
import { createSpoofingDetector, type SpoofingDetector, type SpoofingEpisode, type SpoofingParams } from './spoofing.js';

export interface BookSignalFold {
  /** Takes a rule event (others are ignored). */
  apply(event: DomainEvent): void;
  /**
   * Folds one row, given its book after it and every exchange's book of its symbol (asked only
   * when an arbitrage rule watches the symbol; undefined while fewer than two exchanges have one).
   */
  onRow(row: BookRow, bookAfter: OrderBook, booksOfSymbol: () => readonly ExchangeBook[] | undefined): AlertOutput[];
  activeRules(): number;
  /** The whole state as plain data (encodeSnapshot turns it into text); restoreBookSignalFold reads it back. */
  snapshot(): unknown;
}

/**
 * What a snapshot's state means. Bump it with any change to the fold or a book detector that
 * changes their state or what they conclude from it: an older snapshot is then refused.
 */
export const BOOK_SIGNAL_FOLD_VERSION = 1;

export type RestoredBookSignalFold = Restored<BookSignalFold>;

type LiveBookRule =
  | { readonly rule: AlertRuleRegisteredData; readonly symbols: ReadonlySet<string> | undefined; readonly kind: 'spoofing'; readonly params: SpoofingParams; readonly books: Map<string, SpoofingDetector> }
  | { readonly rule: AlertRuleRegisteredData; readonly symbols: ReadonlySet<string> | undefined; readonly kind: 'arbitrage'; readonly fold: ArbitrageAlertFold };

const liveRule = (rule: AlertRuleRegisteredData): LiveBookRule => {
  const params = recordedParams(rule.detector, rule.params);
  const symbols = rule.symbols === '*' ? undefined : new Set(rule.symbols);
  return rule.detector === 'spoofing'
    ? { rule, symbols, kind: 'spoofing', params: params as SpoofingParams, books: new Map() }
    : { rule, symbols, kind: 'arbitrage', fold: createArbitrageAlertFold(params as ArbitrageAlertParams) };
};

export const spoofingAlert = (rule: AlertRuleRegisteredData, e: SpoofingEpisode): AlertOutput => ({
  type: 'AlertRaised',
  causeEventId: null,
  data: {
    alertId: alertIdOf(rule.ruleId, `${e.exchange}:${e.symbol}:${e.side}`, e.start),
    ruleId: rule.ruleId,
    detector: rule.detector,
    symbol: e.symbol,
    severity: rule.severity,
    eventTime: e.raisedAt,
    message: `${e.exchange} ${e.symbol}: ${e.vanished.length} large ${e.side === 'bids' ? 'bids' : 'asks'} near the touch vanished within seconds without trading`,
    evidence: { exchange: e.exchange, side: e.side, vanished: e.vanished, trades: [] },
  },
});

export const arbitrageAlert = (rule: AlertRuleRegisteredData, s: ArbitrageSignal): AlertOutput => {
  const alertId = alertIdOf(rule.ruleId, s.key, s.episodeStart);
  return s.kind === 'raised'
    ? {
        type: 'AlertRaised',
        causeEventId: null,
        data: { alertId, ruleId: rule.ruleId, detector: rule.detector, symbol: s.symbol, severity: rule.severity, eventTime: s.eventTime, message: s.message, evidence: s.evidence },
      }
    : { type: 'AlertResolved', causeEventId: null, data: { alertId, ruleId: rule.ruleId, symbol: s.symbol, eventTime: s.eventTime, evidence: { message: s.message, ...s.evidence } } };
};

const saveRule = (r: LiveBookRule): unknown => ({
  rule: r.rule,
  state: r.kind === 'spoofing' ? { books: saveMap(r.books, (d) => d.save()) } : { fold: r.fold.save() },
});

/** A saved rule: its registration (checked as the ledger checks it) and its detectors' state. */
const readRule = (u: unknown, path: string): LiveBookRule => {
  const o = readObject(u, path);
  const rule = validate(AlertRuleRegisteredData, o['rule'], `${path}.rule`);
  if (!rule.ok) throw new SavedStateError(`${path}.rule`, `a registered rule (${rule.reason})`, o['rule']);
  if (!isBookDetector(rule.value.detector)) throw new SavedStateError(`${path}.rule.detector`, 'a book detector', rule.value.detector);
  const params = checkRecordedDetectorParams(rule.value.detector, rule.value.params);
  if (!params.ok) throw new SavedStateError(`${path}.rule.params`, `valid params (${params.reason})`, rule.value.params);
  const live = liveRule(rule.value);
  const state = readObject(o['state'], `${path}.state`);
  if (live.kind === 'arbitrage') {
    live.fold.load(state['fold'], `${path}.state.fold`);
    return live;
  }
  const books = readMap(state['books'], `${path}.state.books`, (s, p) => {
    const d = createSpoofingDetector(live.params);
    d.load(s, p);
    return d;
  });
  for (const [key, d] of books) live.books.set(key, d);
  return live;
};

export const createBookSignalFold = (): BookSignalFold => createFold().fold;

/** A fold in the state `snapshot` saved. Never throws: a snapshot of another version, or not one at all, gives the reason. */
export const restoreBookSignalFold = (snapshot: unknown): RestoredBookSignalFold => {
  const { fold, load } = createFold();
  return restoreFold(fold, load, snapshot);
};

const createFold = (): { fold: BookSignalFold; load: (snapshot: unknown) => void } => {
  let rules = new Map<string, LiveBookRule>();
  const load = (snapshot: unknown): void => {
    const o = readObject(snapshot, 'root');
    if (o['version'] !== BOOK_SIGNAL_FOLD_VERSION) throw new SavedStateError('version', `${BOOK_SIGNAL_FOLD_VERSION} (this fold's)`, o['version']);
    rules = readMap(o['rules'], 'rules', readRule);
  };
  const fold: BookSignalFold = {
    apply(e) {
      if (e.type === 'AlertRuleRegistered' && isBookDetector(e.data.detector) && !rules.has(e.data.ruleId)) rules.set(e.data.ruleId, liveRule(e.data));
      if (e.type === 'AlertRuleRetired') rules.delete(e.data.ruleId);
    },
    onRow(row, bookAfter, booksOfSymbol) {
      const { exchange, symbol, eventTime } = row.data;
      const out: AlertOutput[] = [];
      let books: readonly ExchangeBook[] | undefined | null = null;
      for (const r of rules.values()) {
        if (r.symbols !== undefined && !r.symbols.has(symbol)) continue;
        if (r.kind === 'spoofing') {
          const key = bookKey(exchange, symbol);
          let d = r.books.get(key);
          if (d === undefined) r.books.set(key, (d = createSpoofingDetector(r.params)));
          for (const e of d.onRow(row, bookAfter)) out.push(spoofingAlert(r.rule, e));
          continue;
        }
        if (books === null) books = booksOfSymbol();
        if (books !== undefined) for (const s of r.fold.onBooks(symbol, eventTime, books)) out.push(arbitrageAlert(r.rule, s));
      }
      return out;
    },
    activeRules: () => rules.size,
    snapshot: () => ({ version: BOOK_SIGNAL_FOLD_VERSION, rules: saveMap(rules, saveRule) }),
  };
  return { fold, load };
};

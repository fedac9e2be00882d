/**
 * The alert engine's fold: rules from AlertRuleRegistered / AlertRuleRetired (each applied from
 * its ledger position on), the champion anomaly models from ModelTrained / ModelAliasSet, trades put into event-time order by the watermark, every live rule's
 * detector run over them, and the signals turned into AlertRaised / AlertResolved data with
 * deterministic ids. Pure: the projection feeds it ledger events and appends what it returns.
 *
 * Its whole state can be saved (`snapshot()`) and restored (`restoreAlertFold`): restoring the
 * snapshot taken after events A and folding B gives exactly the outputs and state of folding
 * A then B, so the engine need not fold the ledger from position 0 on every start.
 */
import type { DomainEvent } from '../events/catalogue.js';
import { AlertRuleRegisteredData, type AlertRaisedData, type AlertResolvedData } from '../events/signals.js';
import { validate } from '../validation.js';
import { createAnomalyChampions } from './anomalyChampions.js';
import { alertIdOf, checkRecordedDetectorParams, createDetector, isBookDetector } from './catalogue.js';
import type { AlertSignal, Detector, DetectorContext, DetectorTrade } from './detector.js';
import { createEventTimeOrder } from './eventTimeOrder.js';
import { restoreFold, type Restored, readCount, readMap, readNumber, readObject, saveMap, SavedStateError } from './savedState.js';

/**
 * What a snapshot's state means. Bump it with any change to the fold or a detector that changes
 * their state or what they conclude from it: an older snapshot is then refused, and the engine
 * folds the ledger from the start instead.
 */
export const ALERT_FOLD_VERSION = 2;

export type AlertOutput =
  | { readonly type: 'AlertRaised'; readonly data: AlertRaisedData; readonly causeEventId: string | null }
  | { readonly type: 'AlertResolved'; readonly data: AlertResolvedData; readonly causeEventId: string | null };

export interface AlertFoldOptions {
  readonly allowedLatenessMs: number;
  /** How often (event time) silence is checked for; the stale-feed detector's resolution. */
  readonly watermarkTickMs?: number;
}

export interface AlertFold {
  apply(event: DomainEvent): AlertOutput[];
  activeRules(): number;
  late(): number;
  /** The whole state as plain data (encodeSnapshot turns it into text); restoreAlertFold reads it back. */
  snapshot(): unknown;
}

export type RestoredAlertFold = Restored<AlertFold>;

interface LiveRule {
  readonly rule: AlertRuleRegisteredData;
  readonly detector: Detector;
  readonly symbols: ReadonlySet<string> | undefined;
  /** The rule's ledger position: it sees trades recorded after it, even when the watermark releases older ones later. */
  readonly position: number;
}

const ruleOf = (rule: AlertRuleRegisteredData, position: number, context: DetectorContext): LiveRule => ({
  rule,
  detector: createDetector(rule.detector, rule.params, context),
  symbols: rule.symbols === '*' ? undefined : new Set(rule.symbols),
  position,
});

/** A saved rule: its registration (checked as the ledger checks it) and its detector's state. */
const readRule = (u: unknown, path: string, context: DetectorContext): LiveRule => {
  const o = readObject(u, path);
  const rule = validate(AlertRuleRegisteredData, o['rule'], `${path}.rule`);
  if (!rule.ok) throw new SavedStateError(`${path}.rule`, `a registered rule (${rule.reason})`, o['rule']);
  const params = checkRecordedDetectorParams(rule.value.detector, rule.value.params);
  if (!params.ok) throw new SavedStateError(`${path}.rule.params`, `valid params (${params.reason})`, rule.value.params);
  const live = ruleOf(rule.value, readCount(o['position'], `${path}.position`), context);
  live.detector.load(o['detector'], `${path}.detector`);
  return live;
};

export const createAlertFold = (options: AlertFoldOptions): AlertFold => createFold(options).fold;

/**
 * A fold in the state `snapshot` saved. Never throws: a snapshot of another fold version, taken
 * under other options, or not a snapshot at all gives the reason instead.
 */
export const restoreAlertFold = (options: AlertFoldOptions, snapshot: unknown): RestoredAlertFold => {
  const { fold, load } = createFold(options);
  return restoreFold(fold, load, snapshot);
};

const createFold = (options: AlertFoldOptions): { fold: AlertFold; load: (snapshot: unknown) => void } => {
  let rules = new Map<string, LiveRule>();
  const order = createEventTimeOrder(options.allowedLatenessMs);
  const tickMs = options.watermarkTickMs ?? 1_000;
  let lastTick = Number.NEGATIVE_INFINITY;
  /** Kept for every rule whatever its position: a rule registered after a promotion still finds the champion. */
  const champions = createAnomalyChampions();
  const context: DetectorContext = { championsOf: champions.championsOf };

  /** Figures that must match for a snapshot to mean the same thing here. */
  const settings = { version: ALERT_FOLD_VERSION, allowedLatenessMs: options.allowedLatenessMs, watermarkTickMs: tickMs };

  const load = (snapshot: unknown): void => {
    const o = readObject(snapshot, 'root');
    for (const [name, value] of Object.entries(settings)) {
      if (o[name] !== value) throw new SavedStateError(name, `${value} (this engine's)`, o[name]);
    }
    lastTick = readNumber(o['lastTick'], 'lastTick');
    order.load(o['order'], 'order');
    champions.load(o['anomalyChampions'], 'anomalyChampions');
    rules = readMap(o['rules'], 'rules', (u, path) => readRule(u, path, context));
  };

  const toOutput = (rule: AlertRuleRegisteredData, s: AlertSignal): AlertOutput => {
    const alertId = alertIdOf(rule.ruleId, s.key, s.episodeStart);
    return s.kind === 'raised'
      ? {
          type: 'AlertRaised',
          causeEventId: s.causeEventId,
          data: { alertId, ruleId: rule.ruleId, detector: rule.detector, symbol: s.symbol, severity: rule.severity, eventTime: s.eventTime, message: s.message, evidence: s.evidence },
        }
      : { type: 'AlertResolved', causeEventId: s.causeEventId, data: { alertId, ruleId: rule.ruleId, symbol: s.symbol, eventTime: s.eventTime, evidence: { message: s.message, ...s.evidence } } };
  };

  const runTrade = (t: DetectorTrade, out: AlertOutput[]): void => {
    const tick = Math.floor(t.eventTime / tickMs);
    if (tick > lastTick) {
      lastTick = tick;
      for (const r of rules.values()) for (const s of r.detector.onWatermark(t.eventTime)) out.push(toOutput(r.rule, s));
    }
    for (const r of rules.values()) {
      if (t.position < r.position || (r.symbols !== undefined && !r.symbols.has(t.symbol))) continue;
      for (const s of r.detector.onTrade(t)) out.push(toOutput(r.rule, s));
    }
  };

  const fold: AlertFold = {
    apply(e) {
      if (e.type === 'AlertRuleRegistered') {
        // A book detector's rule is run by the book signals, over book rows this fold never sees.
        if (!rules.has(e.data.ruleId) && !isBookDetector(e.data.detector)) rules.set(e.data.ruleId, ruleOf(e.data, e.position, context));
        return [];
      }
      if (e.type === 'AlertRuleRetired') {
        rules.delete(e.data.ruleId);
        return [];
      }
      if (e.type === 'ModelTrained' || e.type === 'ModelAliasSet') {
        champions.apply(e);
        return [];
      }
      if (e.type !== 'TradeObserved' || rules.size === 0) return [];
      const d = e.data;
      const trade: DetectorTrade = {
        position: e.position,
        eventId: e.id,
        exchange: d.exchange,
        symbol: d.symbol,
        tradeId: d.tradeId,
        price: Number(d.price),
        quantity: Number(d.quantity),
        eventTime: d.eventTime,
        side: d.side,
      };
      const out: AlertOutput[] = [];
      for (const t of order.push(trade)) runTrade(t, out);
      return out;
    },
    activeRules: () => rules.size,
    late: () => order.late(),
    snapshot: () => ({
      ...settings,
      lastTick,
      order: order.save(),
      anomalyChampions: champions.save(),
      rules: saveMap(rules, (r) => ({ rule: r.rule, position: r.position, detector: r.detector.save() })),
    }),
  };
  return { fold, load };
};

/**
 * The anomaly model beside the rule detectors on the simulator's injected flash crashes and volume
 * bursts: recall per kind and false alarms of each, over seeded simulator hours. An event counts as
 * detected when an alarm is open during it (rules: raised at or before its end + a margin and not
 * resolved before its start — the rule of test/domain/detectors/simulatorRecall.unit.spec.ts; the
 * model: a flagged 1m bar overlapping [start, end + margin]); an alarm explained by no event on its
 * symbol is a false alarm (the model's consecutive flagged bars are one alarm).
 */
import type { InjectedEvent } from '../../src/adapters/sources/simulator/marketEvents.js';
import { createSimulatorSource } from '../../src/adapters/sources/simulator/simulatorSource.js';
import type { AlertOutput } from '../../src/domain/detectors/alertFold.js';
import { scoreBars, type AnomalyBar, type RobustZJson } from '../../src/domain/models/anomaly/robustZ.js';
import { MINUTE_MS } from '../../src/domain/time.js';
import type { DomainEvent } from '../../src/domain/events/catalogue.js';
import type { TradeData } from '../../src/domain/events/market.js';
import { anomalyTrainedEvent, championEvent, ruleEvent } from './alertScenarios.js';
import { defaultRuleAlerts } from './defaultRulesOverSimulator.js';

export const MARGIN_MS = 60_000;

export interface DetectorRecord {
  readonly detector: string;
  readonly crashesDetected: number;
  readonly burstsDetected: number;
  readonly falseAlarms: number;
}

export interface ComparisonRun {
  readonly seed: number;
  /** Event time the tape covers. */
  readonly hours: number;
  readonly crashes: number;
  readonly bursts: number;
  readonly records: readonly DetectorRecord[];
}

interface Alarm {
  readonly symbol: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Closed bars of `barMs` per symbol (ending by `end`: the tape's last bar is cut short, as a live bar
 * is not scored before it closes), all exchanges consolidated: last price, base volume, taker buy
 * and sell volume.
 */
export const closedBars = (trades: readonly Pick<TradeData, 'symbol' | 'eventTime' | 'price' | 'quantity' | 'side'>[], end: number, barMs = MINUTE_MS): Map<string, AnomalyBar[]> => {
  const bySymbol = new Map<string, Map<number, { time: number; close: number; closeTime: number; volume: number; takerBuyVolume: number; takerSellVolume: number }>>();
  for (const t of trades) {
    const time = t.eventTime - (t.eventTime % barMs);
    const bars = bySymbol.get(t.symbol) ?? new Map();
    bySymbol.set(t.symbol, bars);
    const bar = bars.get(time) ?? { time, close: 0, closeTime: -1, volume: 0, takerBuyVolume: 0, takerSellVolume: 0 };
    bars.set(time, bar);
    const q = Number(t.quantity);
    if (t.eventTime >= bar.closeTime) {
      bar.close = Number(t.price);
      bar.closeTime = t.eventTime;
    }
    bar.volume += q;
    if (t.side === 'buy') bar.takerBuyVolume += q;
    else bar.takerSellVolume += q;
  }
  return new Map([...bySymbol].map(([s, bars]) => [s, [...bars.values()].filter((b) => b.time + barMs <= end).sort((a, b) => a.time - b.time)]));
};

const modelAlarms = (model: RobustZJson, bars: Map<string, AnomalyBar[]>): Alarm[] => {
  const out: Alarm[] = [];
  for (const [symbol, series] of bars) {
    let open: { from: number; to: number } | null = null;
    for (const s of scoreBars(model, series, MINUTE_MS)) {
      if (s.anomalous) {
        if (open !== null && open.to === s.time) open.to = s.time + MINUTE_MS;
        else {
          if (open !== null) out.push({ symbol, ...open });
          open = { from: s.time, to: s.time + MINUTE_MS };
        }
      }
    }
    if (open !== null) out.push({ symbol, ...open });
  }
  return out;
};

const ruleAlarms = (alerts: readonly AlertOutput[], detector: string): Alarm[] => {
  const resolvedAt = new Map(alerts.filter((a) => a.type === 'AlertResolved').map((a) => [a.data.alertId, a.data.eventTime]));
  return alerts
    .filter((a): a is Extract<AlertOutput, { type: 'AlertRaised' }> => a.type === 'AlertRaised' && a.data.detector === detector)
    .map((a) => ({ symbol: a.data.symbol, from: a.data.eventTime, to: resolvedAt.get(a.data.alertId) ?? Number.POSITIVE_INFINITY }));
};

const record = (detector: string, alarms: readonly Alarm[], injected: readonly InjectedEvent[], complete: readonly InjectedEvent[]): DetectorRecord => {
  const detected = (e: InjectedEvent) => alarms.some((a) => a.symbol === e.symbol && a.from <= e.endTime + MARGIN_MS && a.to >= e.startTime);
  const explained = (a: Alarm) => injected.some((e) => e.symbol === a.symbol && a.from <= e.endTime + MARGIN_MS && a.to >= e.startTime);
  return {
    detector,
    crashesDetected: complete.filter((e) => e.kind === 'flash-crash' && detected(e)).length,
    burstsDetected: complete.filter((e) => e.kind === 'volume-burst' && detected(e)).length,
    falseAlarms: alarms.filter((a) => !explained(a)).length,
  };
};

/**
 * The model as the speed layer runs it: trained and promoted champion for every symbol, and an
 * `anomaly-model` rule scoring the alert fold's own live 1m bars.
 */
const liveChampions = (model: RobustZJson, symbols: readonly string[]): DomainEvent[] => [
  ...symbols.flatMap((symbol) => [anomalyTrainedEvent(0, 1, model, symbol), championEvent(0, 1, symbol)]),
  ruleEvent(0, 'live-anomaly', 'anomaly-model', { barMs: MINUTE_MS, historyBars: model.window + 1 }),
];

/**
 * One seeded simulator tape (`trades` trades on 6 symbols; the events' extra trades make it shorter
 * than trades / 50 s) through the default rules and the model, scored twice: offline over bars built
 * from the whole tape, and live by the alert engine's `anomaly-model` detector as the trades arrive.
 */
export const compareOnSimulator = async (seed: number, model: RobustZJson, trades = 360_000): Promise<ComparisonRun> => {
  const source = createSimulatorSource({ seed, symbols: 6, tradesPerSecond: 50, maxTrades: trades, flashCrashesPerHour: 4, volumeBurstsPerHour: 4 });
  const tape: TradeData[] = [];
  const { alerts, end } = await defaultRuleAlerts(source, (t) => tape.push(t), liveChampions(model, source.symbols));
  const injected = source.injectedEvents();
  // Events that ended (with the margin) before the tape did, and began after the model's first full window.
  const warm = tape[0]!.eventTime + (model.window + 1) * MINUTE_MS;
  const complete = injected.filter((e) => e.endTime + MARGIN_MS < end && e.startTime >= warm);
  return {
    seed,
    hours: (end - tape[0]!.eventTime) / 3_600_000,
    crashes: complete.filter((e) => e.kind === 'flash-crash').length,
    bursts: complete.filter((e) => e.kind === 'volume-burst').length,
    records: [
      record('flash-move (rule)', ruleAlarms(alerts, 'flash-move'), injected, complete),
      record('volume-spike (rule)', ruleAlarms(alerts, 'volume-spike'), injected, complete),
      record('robust-z (model, offline)', modelAlarms(model, closedBars(tape, end)), injected, complete),
      record('robust-z (model, live alerts)', ruleAlarms(alerts, 'anomaly-model'), injected, complete),
    ],
  };
};

/** The README's table: per detector, crashes and bursts detected of those injected, and false alarms, over all runs. */
export const anomalyTable = (runs: readonly ComparisonRun[]): string => {
  const crashes = runs.reduce((a, r) => a + r.crashes, 0);
  const bursts = runs.reduce((a, r) => a + r.bursts, 0);
  const detectors = runs[0]!.records.map((r) => r.detector);
  const rows = detectors.map((d) => {
    const rs = runs.map((r) => r.records.find((x) => x.detector === d)!);
    const c = rs.reduce((a, x) => a + x.crashesDetected, 0);
    const b = rs.reduce((a, x) => a + x.burstsDetected, 0);
    const f = rs.reduce((a, x) => a + x.falseAlarms, 0);
    return `| ${d} | ${c}/${crashes} (${((100 * c) / crashes).toFixed(0)}%) | ${b}/${bursts} (${((100 * b) / bursts).toFixed(0)}%) | ${f} |`;
  });
  const hours = runs.reduce((a, r) => a + r.hours, 0);
  return [`Simulator seeds ${runs.map((r) => r.seed).join(', ')}: ${hours.toFixed(1)} h of event time on 6 symbols, 1m bars for the model:`, '', '| detector | crash recall | burst recall | false alarms |', '|---|---|---|---|', ...rows].join('\n');
};

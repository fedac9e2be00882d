/**
 * Cross-exchange arbitrage as an alert, over the live books of one symbol on several exchanges: a
 * pair (buy on A, sell on B) is open while B's best bid beats A's best ask by more than the taker
 * fee of both legs plus `minEdgeBps` (arbitrage.ts computes the edge), and an episode once it has
 * stayed open for `minDurationMs` of event time. A book older than `maxAgeMs` behind the newest
 * row takes no part: a silent feed's last quote is not a price anyone can trade at.
 *
 * A pure fold over the books' rows in order (each with every exchange's book of the symbol after
 * it), no clock: a replay of the lake gives the same episodes. One raise per episode, with both
 * exchanges' books at that moment as evidence; one resolve when the edge closes.
 */
import type { AlertSignal } from '../../detectors/detector.js';
import { readMap, readNumber, readObject, saveMap, SavedStateError } from '../../detectors/savedState.js';
import { arbitrageOpportunities, type ArbitrageOpportunity } from '../views/arbitrage.js';
import type { Level } from '../views/bookView.js';

export const arbitrageAlertParams = {
  feeBps: { default: 10, min: 0, max: 500, help: 'taker fee of each leg, basis points' },
  minEdgeBps: { default: 0, min: 0, max: 10_000, help: 'net edge after fees an opportunity must exceed, basis points of the ask' },
  minDurationMs: { default: 2_000, min: 0, max: 3_600_000, integer: true, help: 'how long (event time) the edge must stay open before it is an alert, ms' },
  maxAgeMs: { default: 10_000, min: 100, max: 3_600_000, integer: true, help: 'a book whose last row is older than this behind the newest row of the symbol takes no part, ms' },
} as const;
export type ArbitrageAlertParams = { readonly [K in keyof typeof arbitrageAlertParams]: number };

export const DEFAULT_ARBITRAGE_ALERT_PARAMS: ArbitrageAlertParams = Object.fromEntries(Object.entries(arbitrageAlertParams).map(([k, p]) => [k, p.default])) as ArbitrageAlertParams;

/** One exchange's book of the symbol as the fold sees it: its touch and its best levels (the evidence). */
export interface ExchangeBook {
  readonly exchange: string;
  /** Event time of its last row. */
  readonly eventTime: number;
  readonly bids: ReadonlyArray<readonly [string, string]>;
  readonly asks: ReadonlyArray<readonly [string, string]>;
}

/**
 * A trade detector's signal, of books instead of trades (no trades in its evidence, no causing
 * event). Its key is `buy-<A>-sell-<B>:<SYMBOL>`: with the rule and the start, the alert's id.
 */
export type ArbitrageSignal = Omit<AlertSignal, 'evidence' | 'causeEventId'> & {
  readonly evidence: Readonly<Record<string, unknown>> & { readonly trades: readonly [] };
};

export interface ArbitrageAlertFold {
  /** Folds the books of `symbol` after a row at `eventTime`; returns the signals it causes. */
  onBooks(symbol: string, eventTime: number, books: readonly ExchangeBook[]): readonly ArbitrageSignal[];
  /** Its whole state as plain data (detectors/savedState.ts), for the book signals' snapshot. */
  save(): unknown;
  /** Replaces its state with a saved one (same params); throws SavedStateError naming what is wrong. */
  load(state: unknown, path: string): void;
}

interface Open {
  readonly since: number;
  raised: boolean;
}

const touch = (levels: ReadonlyArray<readonly [string, string]>): Level | null =>
  levels.length === 0 ? null : { price: Number(levels[0]![0]), quantity: Number(levels[0]![1]) };

const pairKey = (o: Pick<ArbitrageOpportunity, 'buyOn' | 'sellOn'>, symbol: string): string => `buy-${o.buyOn}-sell-${o.sellOn}:${symbol}`;

export const createArbitrageAlertFold = (p: ArbitrageAlertParams = DEFAULT_ARBITRAGE_ALERT_PARAMS): ArbitrageAlertFold => {
  const open = new Map<string, Open>();
  /** Event time only moves forward per symbol: a late row does not reopen the past. */
  const clock = new Map<string, number>();

  return {
    onBooks(symbol, eventTime, books) {
      const now = Math.max(eventTime, clock.get(symbol) ?? Number.NEGATIVE_INFINITY);
      clock.set(symbol, now);
      const fresh = books.filter((b) => now - b.eventTime <= p.maxAgeMs);
      const found = arbitrageOpportunities(
        fresh.map((b) => ({ exchange: b.exchange, bestBid: touch(b.bids), bestAsk: touch(b.asks) })),
        p.feeBps,
      ).filter((o) => o.edgeBps > p.minEdgeBps);
      const out: ArbitrageSignal[] = [];
      const seen = new Set<string>();
      for (const o of found) {
        const key = pairKey(o, symbol);
        seen.add(key);
        let episode = open.get(key);
        if (episode === undefined) open.set(key, (episode = { since: now, raised: false }));
        if (episode.raised || now - episode.since < p.minDurationMs) continue;
        episode.raised = true;
        const evidenceBooks = fresh.filter((b) => b.exchange === o.buyOn || b.exchange === o.sellOn);
        out.push({
          kind: 'raised',
          key,
          symbol,
          episodeStart: episode.since,
          eventTime: now,
          message: `${symbol}: buy on ${o.buyOn} at ${o.buyAt}, sell on ${o.sellOn} at ${o.sellAt}: ${o.edgeBps.toFixed(1)} bps after ${p.feeBps} bps fees a leg, open ${now - episode.since} ms`,
          evidence: { ...o, feeBps: p.feeBps, openedAt: episode.since, books: evidenceBooks, trades: [] },
        });
      }
      // Pairs of this symbol whose edge closed: resolved if they had been raised, forgotten anyway.
      for (const [key, episode] of open) {
        if (seen.has(key) || !key.endsWith(`:${symbol}`)) continue;
        open.delete(key);
        if (!episode.raised) continue;
        out.push({
          kind: 'resolved',
          key,
          symbol,
          episodeStart: episode.since,
          eventTime: now,
          message: `${symbol}: the edge of ${key.slice(0, key.lastIndexOf(':'))} closed after ${now - episode.since} ms`,
          evidence: { closedAt: now, lastedMs: now - episode.since, books: fresh, trades: [] },
        });
      }
      return out;
    },

    save: () => ({ open: saveMap(open, (e) => ({ since: e.since, raised: e.raised })), clock: saveMap(clock, (t) => t) }),

    load(state, path) {
      const o = readObject(state, path);
      const episodes = readMap(o['open'], `${path}.open`, (u, p) => {
        const e = readObject(u, p);
        if (typeof e['raised'] !== 'boolean') throw new SavedStateError(`${p}.raised`, 'a boolean', e['raised']);
        return { since: readNumber(e['since'], `${p}.since`), raised: e['raised'] };
      });
      const clocks = readMap(o['clock'], `${path}.clock`, readNumber);
      open.clear();
      for (const [k, e] of episodes) open.set(k, e);
      clock.clear();
      for (const [k, t] of clocks) clock.set(k, t);
    },
  };
};

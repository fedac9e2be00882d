/**
 * The part every live exchange connector shares: keep its WebSocket connections up, decode each
 * frame, check trade-id continuity, record gaps and heal them from REST, count what happened, and
 * hand batches to the ledger one at a time (several connections share one emit queue, so a
 * source never has more than one batch in flight and a slow ledger slows every reader).
 * What differs per exchange — URLs, subscription, decoder, REST healing — comes in the spec.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { FeedGapDetectedData, FeedGapHealedData } from '../../../domain/events/feedGaps.js';
import type { MarketSource, SourceBatch, SourceItem } from '../../../domain/ports.js';
import { SKIPPED, type Decoded } from './decoded.js';
import { runResilientSocket, type ResilientSocketOptions } from './resilientSocket.js';
import { createTradeIdTracker, type TradeIdGap } from './tradeIdGaps.js';

export interface ConnectionPlan {
  readonly url: string;
  /** Messages sent after every (re)connect. */
  readonly subscribe?: readonly string[];
}

export interface ConnectorStats {
  messages: number;
  skipped: number;
  rejected: number;
  reconnects: number;
  gaps: number;
  missingTrades: number;
  recoveredTrades: number;
  /** Receive time minus event time of the newest trade, ms. */
  lagMs: number;
  /** WebSocket connections open now. */
  connections: number;
  /** 1 while every planned connection is open, else 0. */
  up: number;
}

export interface StreamingSourceSpec {
  readonly name: string;
  readonly exchange: string;
  /** Resolved when the source starts (may ask the exchange which symbols exist). */
  readonly plan: (signal: AbortSignal) => Promise<readonly ConnectionPlan[]>;
  readonly decode: (text: string) => Decoded;
  /** Which numbering a trade id belongs to, and its number; undefined when it has none to check. */
  readonly sequenceOf: (trade: TradeData) => { readonly sequence: string; readonly id: number } | undefined;
  /** Fetches the missing trades of a gap (ids strictly between lastSeen and resumedAt). */
  readonly heal?: (gap: TradeIdGap, signal: AbortSignal) => Promise<readonly SourceItem[]>;
  readonly socket?: Partial<Omit<ResilientSocketOptions, 'url' | 'onOpen' | 'onFrames' | 'onEvent'>>;
  readonly now?: () => number;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

export interface StreamingSource extends MarketSource {
  stats(): ConnectorStats;
  connectorStats(): Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export const createStreamingSource = (spec: StreamingSourceSpec): StreamingSource => {
  const now = spec.now ?? Date.now;
  const stats: ConnectorStats = { messages: 0, skipped: 0, rejected: 0, reconnects: 0, gaps: 0, missingTrades: 0, recoveredTrades: 0, lagMs: 0, connections: 0, up: 0 };
  const trackers = new Map<string, ReturnType<typeof createTradeIdTracker>>();
  const trackerOf = (sequence: string): ReturnType<typeof createTradeIdTracker> => {
    let t = trackers.get(sequence);
    if (t === undefined) trackers.set(sequence, (t = createTradeIdTracker()));
    return t;
  };

  return {
    name: spec.name,
    progress: () => ({ done: stats.messages, total: undefined }),
    stats: () => ({ ...stats }),
    connectorStats: () => ({ [spec.name]: { ...stats } }),
    async run(emit, signal) {
      // One batch in flight for the whole source, whichever connection produced it.
      let tail: Promise<void> = Promise.resolve();
      const emitInOrder = (batch: SourceBatch): Promise<void> => (tail = tail.then(() => emit(batch)));

      const healGap = async (gap: TradeIdGap, sequence: string): Promise<void> => {
        if (spec.heal === undefined) return;
        let items: readonly SourceItem[];
        try {
          items = await spec.heal(gap, signal);
        } catch (e) {
          spec.log?.('warn', `${spec.name}: could not heal the gap in ${gap.symbol} after trade ${gap.lastSeen} (${gap.missing} missing): ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        const recovered = items.filter((i) => i.kind === 'trade').length;
        stats.recoveredTrades += recovered;
        const healed: FeedGapHealedData = { exchange: spec.exchange, symbol: gap.symbol, sequence, lastSeen: gap.lastSeen, resumedAt: gap.resumedAt, recovered, healedAt: now() };
        await emitInOrder({ source: `${spec.name}:rest`, items: [...items, { kind: 'gapHealed', data: healed }] });
      };

      const onFrames = async (frames: readonly string[]): Promise<void> => {
        const items: SourceItem[] = [];
        const gaps: Array<{ gap: TradeIdGap; sequence: string }> = [];
        const receivedAt = now();
        for (const frame of frames) {
          stats.messages++;
          const item = spec.decode(frame);
          if (item === SKIPPED) {
            stats.skipped++;
            continue;
          }
          if (item.kind === 'rejected') stats.rejected++;
          if (item.kind === 'trade') {
            const trade = item.data as TradeData;
            stats.lagMs = receivedAt - trade.eventTime;
            const seq = spec.sequenceOf(trade);
            const gap = seq === undefined ? undefined : trackerOf(seq.sequence).observe(trade.symbol, seq.id);
            if (gap !== undefined && seq !== undefined) {
              stats.gaps++;
              stats.missingTrades += gap.missing;
              gaps.push({ gap, sequence: seq.sequence });
              const detected: FeedGapDetectedData = { exchange: spec.exchange, symbol: gap.symbol, sequence: seq.sequence, lastSeen: gap.lastSeen, resumedAt: gap.resumedAt, missing: gap.missing, detectedAt: receivedAt };
              items.push({ kind: 'gap', data: detected });
            }
          }
          items.push(item);
        }
        if (items.length > 0) await emitInOrder({ source: spec.name, items });
        for (const g of gaps) await healGap(g.gap, g.sequence);
      };

      const plans = await spec.plan(signal);
      spec.log?.('info', `${spec.name}: ${plans.length} connection(s)`);
      const isOpen = plans.map(() => false);
      const setOpen = (i: number, open: boolean): void => {
        isOpen[i] = open;
        stats.connections = isOpen.filter((x) => x).length;
        stats.up = plans.length > 0 && stats.connections === plans.length ? 1 : 0;
      };
      await Promise.all(plans.map((p, i) => runResilientSocket({
        ...spec.socket,
        url: p.url,
        onOpen: (send) => {
          for (const m of p.subscribe ?? []) send(m);
        },
        onFrames,
        onEvent: (e) => {
          setOpen(i, e.type === 'open');
          if (e.type === 'closed') {
            stats.reconnects++;
            spec.log?.('warn', `${spec.name}: ${e.reason}; reconnecting in ${e.retryInMs} ms`);
          } else spec.log?.('info', `${spec.name}: connected to ${e.url.length > 120 ? `${e.url.slice(0, 117)}...` : e.url}`);
        },
      }, signal)));
      // Aborted: every connection is closed, and no event says so.
      plans.forEach((_, i) => setOpen(i, false));
      await tail;
    },
  };
};

/**
 * The part every live exchange connector shares: keep its WebSocket connections up, decode each
 * frame, check trade-id continuity, record gaps and heal them from REST, count what happened, and
 * hand batches to the ledger one at a time (several connections share one emit queue, so a
 * source never has more than one batch in flight and a slow ledger slows every reader).
 * What differs per exchange — URLs, subscription, decoder, REST healing — comes in the spec.
 *
 * Two ways to make up for a lost connection, by what the exchange's ids allow: where they count
 * trades one by one per symbol (`sequenceOf`), a jump is a counted gap healed from REST (`heal`);
 * where they do not (ids shared by all pairs, or not numbers), nothing can be counted, so after
 * every reconnect the trades since the last one seen are fetched from REST (`catchUp`). Either
 * way the overlap with the stream, and the recent trades some exchanges replay on subscribe,
 * are dropped as repeats when `dropRepeats` is set.
 *
 * Order books, when the spec has `books`: each connection's book items go through its keepers
 * (bookSync.ts), which pass on only what they applied and turn gaps, checksum mismatches and
 * closed connections into resync records and fresh snapshots.
 */
import type { TradeData } from '../../../domain/events/market.js';
import type { FeedGapDetectedData, FeedGapHealedData } from '../../../domain/events/feedGaps.js';
import type { BookResyncData } from '../../../domain/orderbook/bookEvents.js';
import type { MarketSource, SourceBatch, SourceItem } from '../../../domain/ports.js';
import { createBookConnection, type BookChannelSpec, type BookConnection, type BookStats } from './bookSync.js';
import { RECONNECT, SKIPPED, decodedItems, type WireDecoded } from './decoded.js';
import { createRecentTradeIds } from './recentTradeIds.js';
import { runResilientSocket, type ResilientSocketOptions } from './resilientSocket.js';
import { createTradeIdTracker, type TradeIdGap } from './tradeIdGaps.js';

export interface ConnectionPlan {
  readonly url: string;
  /** Messages sent after every (re)connect. */
  readonly subscribe?: readonly string[];
  /** This connection's own decoder, when decoding keeps per-connection state (Bitfinex's channel ids). */
  readonly decode?: (text: string) => WireDecoded;
  readonly keepAlive?: ResilientSocketOptions['keepAlive'];
  /** The symbols whose books this connection carries (REST snapshots are fetched for them on every open). */
  readonly bookSymbols?: readonly string[];
  /** This connection's way to ask for a fresh snapshot, when it needs the connection's own state (Bitfinex unsubscribes a book by its chanId). */
  readonly resubscribeBook?: (symbol: string) => readonly string[];
}

/** The newest trade taken for a symbol. */
export interface LastTrade {
  readonly tradeId: string;
  readonly eventTime: number;
}

export interface ConnectorStats extends BookStats {
  messages: number;
  skipped: number;
  rejected: number;
  reconnects: number;
  gaps: number;
  missingTrades: number;
  recoveredTrades: number;
  /** Trades dropped as already taken (snapshots on subscribe, REST catch-up overlapping the stream). */
  repeats: number;
  /** Trades fetched from REST after a reconnect and taken. */
  caughtUpTrades: number;
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
  readonly decode: (text: string) => WireDecoded;
  /** Which numbering a trade id belongs to, and its number; undefined when it has none to check. */
  readonly sequenceOf: (trade: TradeData) => { readonly sequence: string; readonly id: number } | undefined;
  /** Fetches the missing trades of a gap (ids strictly between lastSeen and resumedAt); `lastSeenAt` is the event time of trade `lastSeen`. */
  readonly heal?: (gap: TradeIdGap, signal: AbortSignal, lastSeenAt: number | undefined) => Promise<readonly SourceItem[]>;
  /** After a reconnect: the symbol's trades since `last`, from REST (repeats are dropped afterwards). */
  readonly catchUp?: (symbol: string, last: LastTrade, signal: AbortSignal) => Promise<readonly SourceItem[]>;
  /** Drop trades already taken (needs `catchUp` or an exchange that replays trades on subscribe). */
  readonly dropRepeats?: boolean;
  /** Order books: the exchange's rules and how it gives a fresh snapshot; none: no book is kept. */
  readonly books?: BookChannelSpec;
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
  const stats: ConnectorStats = { messages: 0, skipped: 0, rejected: 0, reconnects: 0, gaps: 0, missingTrades: 0, recoveredTrades: 0, repeats: 0, caughtUpTrades: 0, lagMs: 0, connections: 0, up: 0, bookSnapshots: 0, bookUpdates: 0, bookStale: 0, bookResyncs: 0 };
  const recent = spec.dropRepeats === true ? createRecentTradeIds() : undefined;
  const lastTrade = new Map<string, LastTrade>();
  /** False for a trade already taken (counted as a repeat). */
  const isNew = (item: SourceItem): boolean => {
    if (recent === undefined || item.kind !== 'trade') return true;
    const t = item.data as TradeData;
    if (recent.isNew(t.symbol, t.tradeId)) return true;
    stats.repeats++;
    return false;
  };
  const noteTrade = (t: TradeData): void => {
    const prev = lastTrade.get(t.symbol);
    if (prev === undefined || t.eventTime >= prev.eventTime) lastTrade.set(t.symbol, { tradeId: t.tradeId, eventTime: t.eventTime });
  };
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

      const healGap = async (gap: TradeIdGap, sequence: string, lastSeenAt: number | undefined): Promise<void> => {
        if (spec.heal === undefined) return;
        let items: readonly SourceItem[];
        try {
          items = (await spec.heal(gap, signal, lastSeenAt)).filter(isNew);
        } catch (e) {
          spec.log?.('warn', `${spec.name}: could not heal the gap in ${gap.symbol} after trade ${gap.lastSeen} (${gap.missing} missing): ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        const recovered = items.filter((i) => i.kind === 'trade').length;
        stats.recoveredTrades += recovered;
        const healed: FeedGapHealedData = { exchange: spec.exchange, symbol: gap.symbol, sequence, lastSeen: gap.lastSeen, resumedAt: gap.resumedAt, recovered, healedAt: now() };
        await emitInOrder({ source: `${spec.name}:rest`, items: [...items, { kind: 'gapHealed', data: healed }] });
      };

      const catchUp = async (symbols: ReadonlySet<string>): Promise<void> => {
        if (spec.catchUp === undefined) return;
        for (const symbol of symbols) {
          const last = lastTrade.get(symbol);
          if (last === undefined || signal.aborted) continue;
          try {
            const items = (await spec.catchUp(symbol, last, signal)).filter(isNew);
            const taken = items.filter((i) => i.kind === 'trade');
            stats.caughtUpTrades += taken.length;
            for (const i of taken) noteTrade(i.data as TradeData);
            if (items.length > 0) await emitInOrder({ source: `${spec.name}:rest`, items });
          } catch (e) {
            spec.log?.('warn', `${spec.name}: could not catch up on ${symbol} after a reconnect (trades after ${last.tradeId} may be missing): ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      };
      const catchingUp = new Set<Promise<void>>();

      const bookConnection = (p: ConnectionPlan): BookConnection | undefined => spec.books === undefined ? undefined : createBookConnection(p.resubscribeBook === undefined ? spec.books : { ...spec.books, resubscribe: p.resubscribeBook }, {
        emit: (items, source) => emitInOrder({ source, items }),
        now,
        stats,
        signal,
        name: spec.name,
        ...(spec.log === undefined ? {} : { log: spec.log }),
      });

      const onFrames = (decode: (text: string) => WireDecoded, symbols: Set<string>, books: BookConnection | undefined) => async (frames: readonly string[]): Promise<void | 'reconnect'> => {
        const items: SourceItem[] = [];
        let reconnect = false;
        const gaps: Array<{ gap: TradeIdGap; sequence: string; lastSeenAt: number | undefined }> = [];
        const receivedAt = now();
        for (const frame of frames) {
          stats.messages++;
          const decoded = decode(frame);
          if (decoded === SKIPPED || decoded === RECONNECT) {
            stats.skipped++;
            reconnect ||= decoded === RECONNECT;
            continue;
          }
          for (const item of decodedItems(decoded)) {
            if (item.kind === 'rejected') stats.rejected++;
            if (item.kind === 'bookResync' && books !== undefined) {
              // A decoder's report of a lost book message (Coinbase's connection-wide sequence_num).
              books.lost(item.data as BookResyncData, items);
              continue;
            }
            if (item.kind === 'bookSnapshot' || item.kind === 'bookUpdate') {
              // A book is passed on only as its keeper checked it; a connector keeping none passes on none.
              if (books !== undefined) books.take(item, items);
              else stats.skipped++;
              continue;
            }
            if (item.kind === 'trade') {
              if (!isNew(item)) continue;
              const trade = item.data as TradeData;
              symbols.add(trade.symbol);
              stats.lagMs = receivedAt - trade.eventTime;
              const lastSeenAt = lastTrade.get(trade.symbol)?.eventTime;
              noteTrade(trade);
              const seq = spec.sequenceOf(trade);
              const gap = seq === undefined ? undefined : trackerOf(seq.sequence).observe(trade.symbol, seq.id);
              if (gap !== undefined && seq !== undefined) {
                stats.gaps++;
                stats.missingTrades += gap.missing;
                gaps.push({ gap, sequence: seq.sequence, lastSeenAt });
                const detected: FeedGapDetectedData = { exchange: spec.exchange, symbol: gap.symbol, sequence: seq.sequence, lastSeen: gap.lastSeen, resumedAt: gap.resumedAt, missing: gap.missing, detectedAt: receivedAt };
                items.push({ kind: 'gap', data: detected });
              }
            }
            items.push(item);
          }
        }
        if (items.length > 0) await emitInOrder({ source: spec.name, items });
        for (const g of gaps) await healGap(g.gap, g.sequence, g.lastSeenAt);
        return reconnect ? 'reconnect' : undefined;
      };

      const plans = await spec.plan(signal);
      spec.log?.('info', `${spec.name}: ${plans.length} connection(s)`);
      const isOpen = plans.map(() => false);
      const setOpen = (i: number, open: boolean): void => {
        isOpen[i] = open;
        stats.connections = isOpen.filter((x) => x).length;
        stats.up = plans.length > 0 && stats.connections === plans.length ? 1 : 0;
      };
      await Promise.all(plans.map((p, i) => {
        // The symbols this connection has carried: the ones to catch up on when it comes back.
        const symbols = new Set<string>();
        const books = bookConnection(p);
        let opened = 0;
        return runResilientSocket({
        ...spec.socket,
        url: p.url,
        ...(p.keepAlive === undefined ? {} : { keepAlive: p.keepAlive }),
        onOpen: (send) => {
          for (const m of p.subscribe ?? []) send(m);
          books?.opened(send, p.bookSymbols ?? []);
          if (++opened > 1 && spec.catchUp !== undefined) {
            const done = catchUp(new Set(symbols)).finally(() => catchingUp.delete(done));
            catchingUp.add(done);
          }
        },
        onFrames: onFrames(p.decode ?? spec.decode, symbols, books),
        onEvent: (e) => {
          setOpen(i, e.type === 'open');
          if (e.type === 'closed') {
            stats.reconnects++;
            books?.closed();
            spec.log?.('warn', `${spec.name}: ${e.reason}; reconnecting in ${e.retryInMs} ms`);
          } else spec.log?.('info', `${spec.name}: connected to ${e.url.length > 120 ? `${e.url.slice(0, 117)}...` : e.url}`);
        },
      }, signal);
      }));
      // Aborted: every connection is closed, and no event says so.
      plans.forEach((_, i) => setOpen(i, false));
      await Promise.all(catchingUp);
      await tail;
    },
  };
};

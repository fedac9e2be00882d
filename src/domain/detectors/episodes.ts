/**
 * Hysteresis and de-duplication of episodes: per key, at most one open episode. `open` emits a
 * raise only for a key with no open episode; `close` emits a resolve only for an open one. So
 * however often a condition is re-observed, one episode gives exactly one AlertRaised and one
 * AlertResolved.
 */
import { NO_SIGNALS, type AlertSignal, type TradeEvidence } from './detector.js';
import { readFinite, readMap, saveMap } from './savedState.js';

export interface Episodes {
  isOpen(key: string): boolean;
  open(
    key: string,
    symbol: string,
    start: number,
    at: number,
    message: string,
    evidence: AlertSignal['evidence'],
    causeEventId: string | null,
  ): readonly AlertSignal[];
  close(key: string, symbol: string, at: number, message: string, evidence: Record<string, unknown> & { trades: readonly TradeEvidence[] }, causeEventId: string | null): readonly AlertSignal[];
  /** The open episodes' keys and start times (a resolve needs the start: it names the alert). */
  save(): unknown;
  load(state: unknown, path: string): void;
}

export const createEpisodes = (): Episodes => {
  /** Open episodes: key → the event time the episode began. */
  let open = new Map<string, number>();
  return {
    isOpen: (key) => open.has(key),
    open(key, symbol, start, at, message, evidence, causeEventId) {
      if (open.has(key)) return NO_SIGNALS;
      open.set(key, start);
      return [{ kind: 'raised', key, symbol, episodeStart: start, eventTime: at, message, evidence, causeEventId }];
    },
    close(key, symbol, at, message, evidence, causeEventId) {
      const start = open.get(key);
      if (start === undefined) return NO_SIGNALS;
      open.delete(key);
      return [{ kind: 'resolved', key, symbol, episodeStart: start, eventTime: at, message, evidence, causeEventId }];
    },
    save: () => saveMap(open, (start) => start),
    load(state, path) {
      open = readMap(state, path, readFinite);
    },
  };
};

/**
 * Portfolios as the ledger holds them: each one's stream folded (domain/portfolio/portfolioState.ts),
 * with its history of changes and who made each. Read from the ledger on every query: portfolios
 * are few and their streams short, and a read model of nothing but the ledger cannot drift from it.
 */
import { upcastEvent } from '../domain/events/catalogue.js';
import { evolvePortfolio, type PortfolioState } from '../domain/portfolio/portfolioState.js';
import type { Ledger } from '../domain/ports.js';
import { portfolioStream } from '../domain/streams.js';

export type PortfolioLedger = Pick<Ledger, 'readStream' | 'streamsMatching'>;

export interface PortfolioChange {
  readonly type: string;
  readonly actor: string;
  readonly recordedAt: string;
  readonly position: number;
}

export interface PortfolioRecord extends PortfolioState {
  readonly history: readonly PortfolioChange[];
}

export const portfolioById = async (ledger: PortfolioLedger, portfolioId: string): Promise<PortfolioRecord | undefined> => {
  const events = await ledger.readStream(portfolioStream(portfolioId));
  let state: PortfolioState | null = null;
  const history: PortfolioChange[] = [];
  for (const e of events) {
    const fact = upcastEvent(e);
    if (fact === undefined) continue;
    state = evolvePortfolio(state, fact);
    history.push({ type: e.type, actor: e.meta.actor, recordedAt: new Date(e.meta.recordedAt).toISOString(), position: e.position });
  }
  return state === null ? undefined : { ...state, history };
};

/** Every portfolio, by id; retired ones only when asked. */
export const listPortfolios = async (ledger: PortfolioLedger, includeRetired: boolean): Promise<PortfolioRecord[]> => {
  const prefix = portfolioStream('');
  const ids = (await ledger.streamsMatching(prefix, '')).map((s) => s.slice(prefix.length)).sort();
  const all = await Promise.all(ids.map((id) => portfolioById(ledger, id)));
  return all.filter((p): p is PortfolioRecord => p !== undefined && (includeRetired || p.retired === null));
};

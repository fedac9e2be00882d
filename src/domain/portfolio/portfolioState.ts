/** A portfolio as its stream tells it: the fold of its Defined, Redefined and Retired events. */
import type { Fact } from '../decider.js';
import type { HoldingsData } from '../events/portfolio.js';

export interface PortfolioState {
  readonly portfolioId: string;
  readonly name: string;
  readonly holdings: HoldingsData;
  readonly retired: { readonly reason: string } | null;
  /** Events folded: the stream version. */
  readonly version: number;
}

/** null until the portfolio is defined. */
export const evolvePortfolio = (state: PortfolioState | null, fact: Fact): PortfolioState | null => {
  switch (fact.type) {
    case 'PortfolioDefined':
    case 'PortfolioRedefined':
      return { ...fact.data, retired: state?.retired ?? null, version: (state?.version ?? 0) + 1 };
    case 'PortfolioRetired':
      return state === null ? null : { ...state, retired: { reason: fact.data.reason }, version: state.version + 1 };
    default:
      return state;
  }
};

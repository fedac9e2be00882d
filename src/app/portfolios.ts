/**
 * Portfolios as the platform exposes them: the commands that define, redefine and retire them;
 * their reads (the ledger's streams); their risk, VaR backtest and stress tests (from the merged
 * daily candles); optimisations recorded as PortfolioOptimised and on-demand assessments recorded
 * as RiskAssessed, each as the caller's actor. The QP solver is quadprog's.
 */
import { quadprogSolver } from '../adapters/optimiser/quadprogSolver.js';
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { definePortfolio } from '../commands/definePortfolio.js';
import { recordPortfolioOptimisation } from '../commands/recordPortfolioOptimisation.js';
import { recordRiskAssessment } from '../commands/recordRiskAssessment.js';
import { redefinePortfolio } from '../commands/redefinePortfolio.js';
import { retirePortfolio } from '../commands/retirePortfolio.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import { DEFAULT_WINDOW } from '../domain/risk/definitions.js';
import { holdingSymbols } from '../domain/portfolio/holdings.js';
import { portfolioRiskAssessedData } from '../domain/portfolio/portfolioAssessment.js';
import {
  queryFrontier,
  queryOptimisation,
  queryPortfolioRisk,
  queryPortfolioStress,
  queryPortfolioVarBacktest,
} from '../read-models/portfolioRisk.js';
import { listPortfolios, portfolioById, type PortfolioRecord } from '../read-models/portfolios.js';
import type { OptimiseQuery, Portfolios } from '../adapters/http/httpPlatform.js';
import type { ObjectiveRequest } from '../domain/portfolio/optimiser.js';
import type { OhlcvReader } from '../read-models/risk.js';

export interface PortfolioDeps extends CommandDeps {
  readonly ohlcv: OhlcvReader;
}

export interface PlatformPortfolios extends Portfolios {
  /**
   * Records the default-window risk of every portfolio not retired, as of `asOf` (the daily job).
   * A portfolio without two returns in the window, or whose positions have no close that day, is
   * skipped: it has nothing to assess.
   */
  assessAll(asOf: number, origin: CommandOrigin): Promise<void>;
}

export const createPortfolios = (deps: PortfolioDeps): PlatformPortfolios => {
  const get = async (portfolioId: string): Promise<PortfolioRecord> => {
    const p = await portfolioById(deps.ledger, portfolioId);
    if (p === undefined) throw new NotFoundError(`no portfolio ${portfolioId}`);
    return p;
  };
  const risk: Portfolios['risk'] = async (portfolioId, q) => {
    const p = await get(portfolioId);
    return queryPortfolioRisk(deps.ohlcv, { portfolioId, holdings: p.holdings, ...q });
  };
  const assess: Portfolios['assess'] = async (portfolioId, q, origin) => {
    const assessment = await risk(portfolioId, q);
    const recorded = await recordRiskAssessment(deps, portfolioRiskAssessedData(portfolioId, assessment, assessment.batch), origin);
    return { ...recorded, assessment };
  };
  /** Optimises `symbols` and records the answer as PortfolioOptimised (of the portfolio, or of none). */
  const optimiseAndRecord = async (portfolioId: string | null, symbols: string[], q: OptimiseQuery, request: ObjectiveRequest, origin: CommandOrigin) => {
    const answer = await queryOptimisation(deps.ohlcv, { ...q, symbols }, request, quadprogSolver);
    const optimisationId = deps.ids.next();
    const e = answer.estimates;
    const { position } = await recordPortfolioOptimisation(
      deps,
      {
        optimisationId,
        portfolioId,
        asOf: e.asOf,
        symbols,
        objective: answer.objective,
        solved: answer.solved,
        fallback: answer.fallback,
        parameters: {
          window: e.window,
          covariance: e.covarianceEstimator,
          riskFree: e.riskFree,
          targetReturn: request.objective === 'efficient_return' ? request.targetReturn : null,
          targetVolatility: request.objective === 'efficient_risk' ? request.targetVolatility : null,
          bounds: Object.fromEntries(symbols.map((s, i) => [s, [e.bounds[i]![0], e.bounds[i]![1]] as [number, number]])),
        },
        definitions: e.definitions,
        observations: e.observations,
        shrinkage: e.shrinkage,
        weights: answer.weights,
        performance: answer.performance,
        batch: e.batch,
      },
      origin,
    );
    return { ...answer, optimisationId, position };
  };
  return {
    define: (input, origin) => definePortfolio(deps, input, origin),
    redefine: (portfolioId, input, origin) => redefinePortfolio(deps, portfolioId, input, origin),
    retire: (portfolioId, reason, origin) => retirePortfolio(deps, portfolioId, reason, origin),
    list: (includeRetired) => listPortfolios(deps.ledger, includeRetired),
    get,
    risk,
    assess,
    async assessAll(asOf, origin) {
      for (const p of await listPortfolios(deps.ledger, false)) {
        const a = await queryPortfolioRisk(deps.ohlcv, { portfolioId: p.portfolioId, holdings: p.holdings, asOf, window: DEFAULT_WINDOW, riskFree: 0 }).catch((e: unknown) => {
          if (e instanceof InvalidInputError) return undefined;
          throw e;
        });
        if (a !== undefined && a.figures.observations >= 2) await recordRiskAssessment(deps, portfolioRiskAssessedData(p.portfolioId, a, a.batch), origin);
      }
    },
    async varBacktest(portfolioId, q) {
      const p = await get(portfolioId);
      return queryPortfolioVarBacktest(deps.ohlcv, { portfolioId, holdings: p.holdings, ...q });
    },
    async stress(portfolioId, q) {
      const p = await get(portfolioId);
      return queryPortfolioStress(deps.ohlcv, { portfolioId, holdings: p.holdings, ...q });
    },
    async optimise(portfolioId, q, request, origin) {
      const p = await get(portfolioId);
      return optimiseAndRecord(portfolioId, holdingSymbols(p.holdings), q, request, origin);
    },
    optimiseSymbols: (symbols, q, request, origin) => optimiseAndRecord(null, [...symbols], q, request, origin),
    frontier: (q, points) => queryFrontier(deps.ohlcv, q, points, quadprogSolver),
  };
};

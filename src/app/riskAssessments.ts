/**
 * When RiskAssessed events are recorded: once a day, for every symbol, through the job queue (one
 * job per UTC day: `risk-daily/{day}`, so a cluster's processes share it), and on demand
 * (POST /api/v1/risk/{symbol}/assessments). The schedule looks every hour whether a new day has
 * ended, and at start, so a process that was down at midnight catches up. A symbol with fewer
 * than two returns in the window has nothing to assess and records nothing. The same job assesses
 * every portfolio that is not retired (`alsoDaily`). Repeats are harmless:
 * the command is idempotent by symbol, day, definitions and batch view version.
 */
import { recordRiskAssessment } from '../commands/recordRiskAssessment.js';
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { riskAssessedData } from '../domain/risk/assessment.js';
import { DEFAULT_WINDOW } from '../domain/risk/definitions.js';
import type { JobQueue } from '../domain/ports.js';
import { dailyJob } from './dailyJob.js';
import { queryRisk, type OhlcvReader, type RiskAnswer, type RiskQuery } from '../read-models/risk.js';

export const RISK_QUEUE = 'risk';
const DAILY_ACTOR = 'system:risk';

export interface RiskAssessments {
  /** Computes and records one assessment. */
  assess(q: RiskQuery, origin: CommandOrigin): Promise<{ recorded: boolean; position: number; assessment: RiskAnswer }>;
  /** Starts the daily schedule. */
  start(): void;
  stop(): void;
}

export interface RiskAssessmentDeps extends CommandDeps {
  readonly jobs: JobQueue;
  readonly ohlcv: OhlcvReader;
  readonly symbols: () => Promise<string[]>;
  /** Assesses and records whatever else is assessed daily (the portfolios), as of the same day. */
  readonly alsoDaily?: (asOf: number, origin: CommandOrigin) => Promise<void>;
  readonly onError: (e: unknown) => void;
}

export const createRiskAssessments = (deps: RiskAssessmentDeps): RiskAssessments => {
  const record = (a: RiskAnswer, origin: CommandOrigin) => recordRiskAssessment(deps, riskAssessedData(a.symbol, a, a.batch), origin);

  const assess: RiskAssessments['assess'] = async (q, origin) => {
    const assessment = await queryRisk(deps.ohlcv, q);
    return { ...(await record(assessment, origin)), assessment };
  };

  const schedule = dailyJob(deps, RISK_QUEUE, DAILY_ACTOR, async (asOf, origin) => {
    for (const symbol of await deps.symbols()) {
      const assessment = await queryRisk(deps.ohlcv, { symbol, asOf, window: DEFAULT_WINDOW, riskFree: 0, interval: '1d' });
      if (assessment.figures.observations >= 2) await record(assessment, origin);
    }
    await deps.alsoDaily?.(asOf, origin);
  });

  return { assess, ...schedule };
};

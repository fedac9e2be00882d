/**
 * What the HTTP layer needs of the platform, and nothing more: the routes take this interface,
 * which the composition root's `Platform` (src/app/platform.ts) satisfies by its shape. Adapters
 * never import app/: the arrow points from the composition root to the adapters it wires.
 */
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AccessSettings } from './access/accessPolicy.js';
import type { KeyChecker } from './access/authenticate.js';
import type { RateLimitSettings } from './access/rateLimit.js';
import type { Role } from '../../domain/access/roles.js';
import type { CommandOrigin } from '../../commands/commandContext.js';
import type { IssueCorrectionResult } from '../../commands/issueCorrection.js';
import type { AlertBook, Broadcaster, Clock, IdGenerator, JobQueue, Ledger } from '../../domain/ports.js';
import type { BatchProjectorStats } from '../../projections/batch/batchProjector.js';
import type { FollowerStats } from '../../projections/follower.js';
import type { LiveProjectionStats } from '../../projections/live/liveProjection.js';
import type { ReplayAnswer } from '../../read-models/complianceReplay.js';
import type { CorrectionEntry } from '../../read-models/correctionLog.js';
import type { LedgerVerification } from '../../read-models/ledgerVerification.js';
import type { OhlcvAnswer, OhlcvQuery } from '../../read-models/ohlcv.js';
import type { FeaturesAnswer, FeaturesQuery } from '../../read-models/features.js';
import type { RealtimeAnswer } from '../../read-models/realtime.js';
import type { OrderFlowAnswer, OrderFlowQuery } from '../../read-models/orderFlow.js';
import type { OrderBookAnswer } from '../../read-models/orderBooks.js';
import type { ReplayedOrderBooks } from '../../read-models/orderBookReplay.js';
import type { RiskAnswer, RiskQuery } from '../../read-models/risk.js';
import type { AnalyticsQuery } from '../../read-models/analytics/analyticsQuery.js';
import type { CorrelationContent, NetworkContent } from '../../read-models/analytics/analyticsViews.js';
import type { Served } from '../../read-models/analytics/servedViews.js';
import type { ObjectiveRequest } from '../../domain/portfolio/optimiser.js';
import type { VarMethod } from '../../domain/risk/varBacktest.js';
import type {
  EstimatesQuery,
  FrontierAnswer,
  OptimisationAnswer,
  PortfolioRiskAnswer,
  PortfolioVarBacktestAnswer,
  StressAnswer,
} from '../../read-models/portfolioRisk.js';
import type { PortfolioRecord } from '../../read-models/portfolios.js';
import type { PredictionsQuery } from '../../read-models/models.js';

/** What a portfolio query names besides the portfolio. */
export interface PortfolioWindow {
  readonly asOf: number;
  readonly window: number;
}

export type OptimiseQuery = Omit<EstimatesQuery, 'symbols'>;

/** Portfolios: their commands, reads, risk, stress tests and optimisations (app/portfolios.ts). */
export interface Portfolios {
  define(input: unknown, origin: CommandOrigin): Promise<{ portfolioId: string; position: number; created: boolean }>;
  redefine(portfolioId: string, input: unknown, origin: CommandOrigin): Promise<{ portfolioId: string; position: number; changed: boolean }>;
  retire(portfolioId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }>;
  list(includeRetired: boolean): Promise<PortfolioRecord[]>;
  /** Throws NotFoundError when there is none. */
  get(portfolioId: string): Promise<PortfolioRecord>;
  risk(portfolioId: string, q: PortfolioWindow & { riskFree: number }): Promise<PortfolioRiskAnswer>;
  assess(portfolioId: string, q: PortfolioWindow & { riskFree: number }, origin: CommandOrigin): Promise<{ recorded: boolean; position: number; assessment: PortfolioRiskAnswer }>;
  varBacktest(portfolioId: string, q: PortfolioWindow & { days: number; method: VarMethod }): Promise<PortfolioVarBacktestAnswer>;
  stress(portfolioId: string, q: PortfolioWindow & { count: number; shocks: Readonly<Record<string, number>> | undefined }): Promise<StressAnswer>;
  optimise(portfolioId: string, q: OptimiseQuery, request: ObjectiveRequest, origin: CommandOrigin): Promise<OptimisationAnswer & { optimisationId: string; position: number }>;
  /** The same for a bare set of symbols, recorded with no portfolio. */
  optimiseSymbols(symbols: readonly string[], q: OptimiseQuery, request: ObjectiveRequest, origin: CommandOrigin): Promise<OptimisationAnswer & { optimisationId: string; position: number }>;
  frontier(q: EstimatesQuery, points: number): Promise<FrontierAnswer>;
}



/** Models and predictions (app/models.ts): trainings, aliases, predictions, scores and the registry's answers. */
export interface ModelsApi {
  train(input: unknown, origin: CommandOrigin): Promise<{ trainingId: string; modelId: string }>;
  training(trainingId: string): Promise<object>;
  setAlias(input: { modelId: string } & Record<string, unknown>, origin: CommandOrigin): Promise<{ changed: boolean; position: number }>;
  predict(input: unknown, origin: CommandOrigin): Promise<{ predictionId: string; recorded: boolean; position: number }>;
  score(origin: CommandOrigin): Promise<{ scored: number; pending: number }>;
  list(symbol?: string): Promise<object[]>;
  get(modelId: string, withModel: boolean): Promise<object>;
  predictions(q: PredictionsQuery): Promise<object>;
  prediction(predictionId: string): Promise<object>;
  trackRecord(modelId: string, version?: number): Promise<object>;
}

/** One thing /health/ready looked at: what, whether it is fine, and what it saw. */
export interface ReadinessCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The process roles (--roles) this process was started with, those of them standing by for another process, and those whose work runs here now. */
export interface ProcessRoleStatus {
  readonly roles: readonly string[];
  readonly standby: readonly string[];
  readonly running: readonly string[];
}

export interface Readiness {
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

export interface HttpPlatform {
  /** The settings the server reads: requestLog.ts, and who may ask for what (access/). */
  readonly config: AccessSettings & Omit<RateLimitSettings, 'redis'> & { readonly slowRequestMs: number; readonly readyMaxLag: number };
  /** Rate-limit counters shared by every API process (the cluster profile); none: this process's own. */
  readonly rateLimitRedis: Redis | undefined;
  /** The API keys: issued and revoked as ledger events, checked by hash. */
  readonly keys: KeyChecker & {
    issue(input: unknown, origin: CommandOrigin): Promise<{ keyId: string; name: string; role: Role; key: string; position: number }>;
    revoke(keyId: string, reason: string, origin: CommandOrigin): Promise<{ keyId: string; revoked: boolean; position: number }>;
    list(): ReadonlyArray<{ keyId: string; name: string; role: Role; revoked: boolean }>;
  };
  readonly clock: Clock;
  /** Correlation ids for commands whose request names none. */
  readonly ids: IdGenerator;
  readonly ledger: Pick<Ledger, 'head' | 'verifierKey' | 'latestCheckpoint' | 'inclusionProof' | 'consistencyProof' | 'findById'>;
  /** Ledger verification in the background (/api/v1/ledger/verify and the dashboard read its status). */
  readonly verification: LedgerVerification;
  readonly jobs: Pick<JobQueue, 'counts' | 'failed'>;
  readonly broadcaster: Pick<Broadcaster, 'subscribe'>;
  readonly liveProjection: { stats(): LiveProjectionStats };
  readonly batchProjector: { stats(): BatchProjectorStats };
  /** The platform's Prometheus registry: /metrics exposes it, and the server adds its request metrics to it. */
  readonly telemetry: { readonly registry: Registry };
  /** Whether this process should get traffic (/health/ready). */
  readiness(): Promise<Readiness>;
  /** What this process runs: /health judges only that. */
  processRoles(): ProcessRoleStatus;
  /** Its checkpoint: the ledger position the alert book has indexed through. */
  readonly alertFeed: { stats(): FollowerStats };
  readonly alerts: Pick<AlertBook, 'alerts' | 'alert' | 'messagesAfter' | 'rules' | 'subscriptions' | 'subscription' | 'deliveries'>;
  readonly commands: {
    registerAlertRule(input: unknown, origin: CommandOrigin): Promise<{ ruleId: string; position: number; created: boolean }>;
    retireAlertRule(ruleId: string, reason: string, origin: CommandOrigin): Promise<{ position: number }>;
    createAlertSubscription(input: unknown, origin: CommandOrigin): Promise<{ subscriptionId: string; position: number }>;
    issueCorrection(input: unknown, origin: CommandOrigin): Promise<IssueCorrectionResult>;
    requestRecompute(input: unknown, origin: CommandOrigin): Promise<{ requestId: string; position: number }>;
  };
  readonly queries: {
    ohlcv(q: OhlcvQuery): Promise<OhlcvAnswer>;
    realtime(symbol: string): Promise<RealtimeAnswer>;
    /** The event-time `day` (default asOf's own) as known at `asOf`, beside what is true now. */
    replay(symbol: string, asOf: number, day?: string): Promise<ReplayAnswer>;
    corrections(symbol: string, from: number, to: number): Promise<CorrectionEntry[]>;
    symbols(): Promise<string[]>;
    features(q: FeaturesQuery): Promise<FeaturesAnswer>;
    orderFlow(q: OrderFlowQuery): Promise<OrderFlowAnswer>;
  };
  /** Backtests through the job queue (app/backtests.ts): the status is served as it is. */
  readonly backtests: {
    submit(input: unknown, origin: CommandOrigin): Promise<{ backtestId: string; position: number }>;
    status(backtestId: string): Promise<object>;
  };
  /** Records one risk assessment as a RiskAssessed event (idempotent by what it was computed from). */
  readonly risk: {
    assess(q: RiskQuery, origin: CommandOrigin): Promise<{ recorded: boolean; position: number; assessment: RiskAnswer }>;
  };
  readonly portfolios: Portfolios;
  /** The correlation matrices and networks: the published view where one matches the query, else computed on demand. */
  readonly analytics: {
    correlation(q: AnalyticsQuery): Promise<Served<CorrelationContent>>;
    network(q: AnalyticsQuery & { threshold: number }): Promise<Served<NetworkContent>>;
  };
  /** Order books: live from this process's archive, or replayed from the lake as of an instant. */
  readonly orderBooks: {
    live(symbol: string, exchange: string | undefined, depth: number): OrderBookAnswer;
    replay(symbol: string, exchange: string | undefined, depth: number, at: number): Promise<ReplayedOrderBooks>;
    /** The symbols the platform has books of (rules of the book detectors may name them). */
    symbols(): Promise<string[]>;
  };
  readonly models: ModelsApi;
}

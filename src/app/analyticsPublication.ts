/**
 * When the correlation matrices and networks are published: once a day, through the job queue (one
 * job per UTC day, `analytics-daily/{day}`, so a cluster's processes share it), for every window
 * (30, 90 and 365 days, and the day's 24 hours of minutes), both methods, the top symbols by quote
 * volume and the default threshold. Each view is a BatchViewPublished with the hash of its canonical
 * JSON (read-models/analytics/analyticsViews.ts), computed by the configured engine (embedded, or Spark
 * on the cluster profile with the Spark batch engine: adapters/analytics/spark); its version is the as-of day's number since the epoch, so versions
 * grow day by day and a view recorded twice for one day differs in its hash. Repeats are harmless:
 * the command is idempotent by view, day and hash. Each view's content is kept beside its event
 * (read-models/analytics/publishedViews.ts), and the routes serve it where a query matches it.
 */
import { publishAnalyticsView } from '../commands/publishAnalyticsView.js';
import type { CommandDeps, CommandOrigin } from '../commands/commandContext.js';
import { CORRELATION_WINDOWS, DEFAULT_THRESHOLD, MIN_SHARED_RETURNS } from '../domain/analytics/definitions.js';
import type { JobQueue, SnapshotStore } from '../domain/ports.js';
import { DAY_MS, utcDay } from '../domain/time.js';
import { dailyJob } from './dailyJob.js';
import {
  embeddedAnalyticsEngine,
  type AnalyticsEngine,
  type CorrelationContent,
  type NetworkContent,
  type NightlyWindow,
  type PublishedView,
} from '../read-models/analytics/analyticsViews.js';
import { windowReturns, type AnalyticsQuery, type AnalyticsReaders, type Provenance } from '../read-models/analytics/analyticsQuery.js';
import { publishedViews } from '../read-models/analytics/publishedViews.js';
import { serveCorrelation, serveNetwork, type Served } from '../read-models/analytics/servedViews.js';

export const ANALYTICS_QUEUE = 'analytics';
/** Symbols in the nightly network: the design's top-100 scenario. */
export const NIGHTLY_TOP = 100;
const DAILY_ACTOR = 'system:analytics';

export interface AnalyticsPublication {
  /** Computes and publishes every view as of a day: what the daily job runs. */
  publish(asOf: number, origin: CommandOrigin): Promise<Array<PublishedView & { recorded: boolean; position: number }>>;
  /** The correlation matrix asked for: the published one where it matches, else computed on demand. */
  correlation(q: AnalyticsQuery): Promise<Served<CorrelationContent>>;
  /** The network asked for, likewise. */
  network(q: AnalyticsQuery & { threshold: number }): Promise<Served<NetworkContent>>;
  start(): void;
  stop(): void;
}

export interface AnalyticsPublicationDeps extends CommandDeps, AnalyticsReaders {
  readonly jobs: JobQueue;
  /** Where the published views' contents are kept. */
  readonly snapshots: SnapshotStore;
  /** What computes the views (default: the embedded engine). */
  readonly engine?: AnalyticsEngine;
  readonly onError: (e: unknown) => void;
}

export const createAnalyticsPublication = (deps: AnalyticsPublicationDeps): AnalyticsPublication => {
  const engine = deps.engine ?? embeddedAnalyticsEngine;
  const published = publishedViews(deps);
  const publish: AnalyticsPublication['publish'] = async (asOf, origin) => {
    const day = utcDay(asOf);
    const windows: NightlyWindow[] = [];
    const provenance = new Map<string, Provenance>();
    for (const window of CORRELATION_WINDOWS) {
      const { table, closes, ...chosen } = await windowReturns(deps, { symbols: null, top: NIGHTLY_TOP, asOf, window });
      // Nothing to correlate (no minute candles for 24h, say): no view, rather than one of nulls.
      if (table.symbols.length < 2 || table.times.length < MIN_SHARED_RETURNS) continue;
      windows.push({ window, table, closes });
      provenance.set(window, chosen);
    }
    if (windows.length === 0) return [];
    const through = (await deps.ledger.head()).position;
    const out: Array<PublishedView & { recorded: boolean; position: number }> = [];
    for (const v of await engine.views(asOf, DEFAULT_THRESHOLD, windows)) {
      const result = await publishAnalyticsView(deps, {
        view: v.view,
        version: Math.round(asOf / DAY_MS),
        symbols: [...v.symbols],
        throughPosition: through,
        engine: engine.name,
        asOf: day,
        contentHash: v.contentHash,
      }, origin);
      await published.save({ view: v.view, content: v.content, provenance: provenance.get(v.content.definitions.window)! }, result.position);
      out.push({ ...v, ...result });
    }
    return out;
  };
  const served = { readers: deps, published };

  const schedule = dailyJob(deps, ANALYTICS_QUEUE, DAILY_ACTOR, async (asOf, origin) => void (await publish(asOf, origin)));
  return { publish, correlation: (q) => serveCorrelation(served, q), network: (q) => serveNetwork(served, q), ...schedule };
};

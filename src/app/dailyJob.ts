/**
 * Jobs that run once per period through the job queue: one job per period, `{name}/{period}`, so a
 * cluster's processes share it and a repeat of the same period is one job. The schedule looks
 * every check whether a new period has ended, and at start, so a process that was down when one
 * ended catches up. `dailyJob` runs per UTC day (checked hourly), `hourlyJob` per UTC hour
 * (checked every minute).
 */
import type { CommandOrigin } from '../commands/commandContext.js';
import type { Clock, JobQueue } from '../domain/ports.js';
import { lastCompleteDay } from '../domain/risk/definitions.js';
import { bucketStart, parseUtcDay, utcDay } from '../domain/time.js';

export interface DailyJobDeps {
  readonly jobs: JobQueue;
  readonly clock: Clock;
  readonly onError: (e: unknown) => void;
}

export interface DailySchedule {
  start(): void;
  stop(): void;
}

interface Period {
  /** Names the jobs and their origin: `{queue}-daily/2024-01-31`. */
  readonly kind: 'daily' | 'hourly';
  /** The payload's field and what it holds, for the error naming a bad payload. */
  readonly field: string;
  readonly format: string;
  readonly checkEveryMs: number;
  /** The start of the last period that has ended by `now`. */
  lastComplete(now: number): number;
  name(start: number): string;
  parse(name: string): number | undefined;
}

const DAY: Period = { kind: 'daily', field: 'day', format: 'yyyy-mm-dd', checkEveryMs: 3_600_000, lastComplete: lastCompleteDay, name: utcDay, parse: parseUtcDay };

const HOUR_MS = 3_600_000;
const HOUR_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}$/;
const HOUR: Period = {
  kind: 'hourly',
  field: 'hour',
  format: 'yyyy-mm-ddThh',
  checkEveryMs: 60_000,
  lastComplete: (now) => bucketStart(now, '1h') - HOUR_MS,
  name: (start) => new Date(start).toISOString().slice(0, 13),
  parse: (name) => (HOUR_NAME.test(name) ? Date.parse(`${name}:00:00Z`) : undefined),
};

const periodicJob = (
  period: Period,
  deps: DailyJobDeps,
  queue: string,
  actor: string,
  run: (start: number, origin: CommandOrigin) => Promise<void>,
): DailySchedule => {
  deps.jobs.process(queue, async (payload) => {
    // A queue in Redis hands back whatever it holds: a payload without its period fails the job, naming it.
    const value = (payload as Record<string, unknown> | null)?.[period.field];
    const start = typeof value === 'string' ? period.parse(value) : undefined;
    if (start === undefined || Number.isNaN(start)) throw new Error(`${queue} job: payload ${JSON.stringify(payload)} has no ${period.field} ${period.format}`);
    await run(start, { actor, correlationId: `${queue}-${period.kind}/${value}`, source: `${queue}-${period.kind}` });
  });

  let timer: NodeJS.Timeout | undefined;
  const enqueueLast = (): void => {
    const name = period.name(period.lastComplete(deps.clock.now()));
    deps.jobs.enqueue(queue, `${queue}-${period.kind}/${name}`, { [period.field]: name }, { attempts: 3, backoffMs: 60_000 }).catch(deps.onError);
  };
  return {
    start() {
      if (timer !== undefined) return;
      enqueueLast();
      timer = setInterval(enqueueLast, period.checkEveryMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
};

/** Registers `run` for `queue` (as of the day's start, recorded as `actor`) and returns its schedule. */
export const dailyJob = (deps: DailyJobDeps, queue: string, actor: string, run: (asOf: number, origin: CommandOrigin) => Promise<void>): DailySchedule =>
  periodicJob(DAY, deps, queue, actor, run);

/** Registers `run` for `queue` (with the start of the hour that ended) and returns its schedule. */
export const hourlyJob = (deps: DailyJobDeps, queue: string, actor: string, run: (hourStart: number, origin: CommandOrigin) => Promise<void>): DailySchedule =>
  periodicJob(HOUR, deps, queue, actor, run);

/**
 * A job that runs once per UTC day through the job queue: one job per day, `{name}/{day}`, so a
 * cluster's processes share it and a repeat of the same day is one job. The schedule looks every
 * hour whether a new day has ended, and at start, so a process that was down at midnight catches up.
 */
import type { CommandOrigin } from '../commands/commandContext.js';
import type { Clock, JobQueue } from '../domain/ports.js';
import { lastCompleteDay } from '../domain/risk/definitions.js';
import { parseUtcDay, utcDay } from '../domain/time.js';

const CHECK_EVERY_MS = 3_600_000;

export interface DailyJobDeps {
  readonly jobs: JobQueue;
  readonly clock: Clock;
  readonly onError: (e: unknown) => void;
}

export interface DailySchedule {
  start(): void;
  stop(): void;
}

/** Registers `run` for `queue` (as of the day's start, recorded as `actor`) and returns its schedule. */
export const dailyJob = (
  deps: DailyJobDeps,
  queue: string,
  actor: string,
  run: (asOf: number, origin: CommandOrigin) => Promise<void>,
): DailySchedule => {
  deps.jobs.process(queue, async (payload) => {
    // A queue in Redis hands back whatever it holds: a payload without a day fails the job, naming it.
    const day = (payload as { day?: unknown } | null)?.day;
    const asOf = typeof day === 'string' ? parseUtcDay(day) : undefined;
    if (asOf === undefined) throw new Error(`${queue} job: payload ${JSON.stringify(payload)} has no day yyyy-mm-dd`);
    await run(asOf, { actor, correlationId: `${queue}-daily/${day}`, source: `${queue}-daily` });
  });

  let timer: NodeJS.Timeout | undefined;
  const enqueueLastDay = (): void => {
    const day = utcDay(lastCompleteDay(deps.clock.now()));
    deps.jobs.enqueue(queue, `${queue}-daily/${day}`, { day }, { attempts: 3, backoffMs: 60_000 }).catch(deps.onError);
  };
  return {
    start() {
      if (timer !== undefined) return;
      enqueueLastDay();
      timer = setInterval(enqueueLastDay, CHECK_EVERY_MS);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
};

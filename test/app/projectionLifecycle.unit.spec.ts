/**
 * Which projections a process starts for its roles, and the hand-over of a role that runs once:
 * a second process stands by while the first holds the role's lock, takes over when the first
 * stops, and the first releases its lock only after its followers stopped.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startProjections, type Projections } from '../../src/app/projectionLifecycle.js';
import { PROCESS_ROLES, type ProcessRole } from '../../src/app/processRoles.js';
import { createRoleGate } from '../../src/app/roleGate.js';
import type { ExclusiveLocks } from '../../src/domain/ports.js';
import type { Follower } from '../../src/projections/follower.js';
import { eventually } from '../contracts/polling.js';

const silent = pino({ level: 'silent' });

/** Locks shared by the "processes" of one test, as PostgreSQL's are by every session. */
const lockServer = () => {
  const holders = new Map<string, object>();
  return (log: string[]): ExclusiveLocks => {
    const me = {};
    return {
      tryAcquire: async (name) => {
        const holder = holders.get(name) ?? me;
        holders.set(name, holder);
        return holder === me;
      },
      onLost: () => undefined,
      close: async () => {
        for (const [name, holder] of holders) if (holder === me) holders.delete(name);
        log.push('locks released');
      },
    };
  };
};

const follower = (name: string, log: string[]): Follower => ({
  start: async () => void log.push(`${name} started`),
  stop: async () => void log.push(`${name} stopped`),
  caughtUp: Promise.resolve(),
  waitFor: async () => undefined,
  stats: () => ({ checkpoint: 0 }),
});

const processOf = (roles: readonly ProcessRole[], locks: ExclusiveLocks | undefined, log: string[]) => {
  const projections: Projections = {
    relay: follower('relay', log),
    liveProjection: follower('live', log),
    batchProjector: { start: () => void log.push('batch started'), stop: async () => void log.push('batch stopped'), stats: () => ({ checkpoint: 0, passes: 0, recomputes: 0, lastPassMs: 0 }) },
    alertFeed: follower('feed', log),
    alertEngine: follower('engine', log),
  };
  const gate = createRoleGate(locks, silent, 5);
  const followed: string[] = [];
  const running = startProjections(projections, {
    roles: new Set(roles),
    gate,
    batchIntervalMs: 1_000,
    registerDefaultRules: async () => void log.push('default rules'),
    webhooks: { enqueuePending: async () => void log.push('webhooks pending') },
    workRecomputes: () => void log.push('recompute worker'),
    follow: (name) => void followed.push(name),
    logger: silent,
  });
  return { running, gate, followed };
};

describe('starting projections by role', () => {
  it('starts every follower, in order, in a process with every role', async () => {
    const log: string[] = [];
    const { running, followed } = processOf(PROCESS_ROLES, undefined, log);
    const r = await running;
    // The pending webhooks once the feed caught up (at once here).
    expect(log).toEqual(['relay started', 'live started', 'batch started', 'recompute worker', 'default rules', 'feed started', 'engine started', 'webhooks pending']);
    expect(followed).toEqual(['relay', 'live', 'batch', 'alert_feed', 'alert_engine']);
    expect(r.state()).toBe('started');
    await r.stop();
    expect(log.slice(8)).toEqual(['relay stopped', 'engine stopped', 'feed stopped', 'live stopped', 'batch stopped']);
  });

  it('starts only what its roles run: the api the alert book, ingest and jobs nothing here', async () => {
    const cases: Array<[ProcessRole[], string[]]> = [
      [['api'], ['feed started']],
      [['alerts'], ['default rules', 'feed started', 'engine started', 'webhooks pending']],
      [['api', 'alerts'], ['default rules', 'feed started', 'engine started', 'webhooks pending']],
      [['live'], ['live started']],
      [['batch'], ['batch started', 'recompute worker']],
      [['relay'], ['relay started']],
      [['ingest', 'jobs'], []],
    ];
    for (const [roles, started] of cases) {
      const log: string[] = [];
      const { running } = processOf(roles, lockServer()([]), log);
      await (await running).stop();
      expect(log.filter((l) => !l.endsWith('stopped')), roles.join(',')).toEqual(started);
    }
  });

  it('a second process of a role that runs once stands by and takes over once the first has stopped and released its lock', async () => {
    const log: string[] = [];
    const locks = lockServer();
    const first = processOf(['live', 'api'], locks(log), log);
    const r1 = await first.running;
    const second = processOf(['live', 'api'], locks(log), log);
    const r2 = await second.running;
    expect(r2.state()).toBe('started');
    expect(second.gate.standby()).toEqual(['live']);
    expect([...r2.running()]).toEqual(['api']);
    expect(log.filter((l) => l === 'live started')).toHaveLength(1);

    await r1.stop();
    await first.gate.release();
    await eventually(() => r2.running().has('live'), { timeoutMs: 5_000, what: 'the standby to take over' });
    // The first stopped its live projection and released the lock before the second started its own.
    const order = log.filter((l) => l.startsWith('live') || l === 'locks released');
    expect(order).toEqual(['live started', 'live stopped', 'locks released', 'live started']);
    expect(second.gate.standby()).toEqual([]);
    await r2.stop();
  });

  it('a standby that is stopped before it takes over starts nothing', async () => {
    const log: string[] = [];
    const locks = lockServer();
    const first = processOf(['batch'], locks(log), log);
    await first.running;
    const second = processOf(['batch'], locks(log), log);
    await (await second.running).stop();
    expect(second.gate.standby()).toEqual([]);
    expect(log.filter((l) => l === 'batch started')).toHaveLength(1);
  });
});


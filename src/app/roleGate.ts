/**
 * Which roles this process may run now. A role that runs in any number may always run; one that
 * runs once (processRoles.ts) may run once this process holds the role's lock. A process that
 * finds the lock held stands by, trying again every `pollMs`, and runs the role when the holder
 * ends (its lock ends with its connection). Without locks (the embedded profile: one process by
 * design) every role may run at once.
 */
import type { Logger } from 'pino';
import type { ExclusiveLocks } from '../domain/ports.js';
import { SINGLE_PROCESS_ROLES, type ProcessRole } from './processRoles.js';

const DEFAULT_POLL_MS = 1_000;

export interface RoleGate {
  /** True when this process may run `role` now (taking its lock if it runs once); false when another process holds it. */
  tryHold(role: ProcessRole): Promise<boolean>;
  /** Resolves true once this process holds `role`'s lock, false if the gate was closed first. */
  waitToHold(role: ProcessRole): Promise<boolean>;
  /** The roles this process waits for. */
  standby(): readonly ProcessRole[];
  /** Stops waiting (waiters resolve false); the locks held stay held until `release`. */
  stopWaiting(): void;
  /** Releases every lock: call once the work they guard has stopped, or a standby elsewhere could start beside it. */
  release(): Promise<void>;
}

export const createRoleGate = (locks: ExclusiveLocks | undefined, logger: Logger, pollMs = DEFAULT_POLL_MS): RoleGate => {
  const waiting = new Set<ProcessRole>();
  let stopped = false;
  const wakers = new Set<() => void>();
  const tryHold = async (role: ProcessRole): Promise<boolean> => locks === undefined || !SINGLE_PROCESS_ROLES.has(role) || locks.tryAcquire(role);
  const sleep = (): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, pollMs);
      wakers.add(wake);
    });
  return {
    tryHold,
    async waitToHold(role) {
      waiting.add(role);
      logger.info(`${role}: another process runs this role (it runs once); standing by to take over when that process ends`);
      try {
        while (!stopped) {
          await sleep();
          if (stopped) break;
          try {
            if (await tryHold(role)) {
              logger.info(`${role}: took over (the process that ran it ended)`);
              return true;
            }
          } catch (e) {
            logger.warn({ err: e }, `${role}: asking for the role's lock failed; asking again`);
          }
        }
        return false;
      } finally {
        waiting.delete(role);
      }
    },
    standby: () => [...waiting],
    stopWaiting() {
      stopped = true;
      for (const wake of [...wakers]) wake();
    },
    release: async () => locks?.close(),
  };
};

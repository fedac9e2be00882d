/**
 * The ledger followers of this process (live projection, batch projector, alert feed and engine,
 * relay, and whatever else registers): each one's checkpoint and how many positions it is behind
 * the ledger head, labelled by the follower's name. `follow` is the hook for followers wired
 * outside platform.ts; the same list is what /health/ready holds to its lag budget.
 */
import type { Registry } from 'prom-client';
import type { FollowerStats } from '../../projections/follower.js';
import type { Ledger } from '../../domain/ports.js';
import { pulledGauge } from './registry.js';

export interface FollowedFollower {
  readonly name: string;
  readonly follower: { stats(): FollowerStats };
  /** Whether /health/ready waits for it to be within the lag budget (false: a scheduled pass, such as the batch projector). */
  readonly gatesReadiness: boolean;
}

export interface FollowerMetrics {
  /** Exports `name`'s checkpoint and lag; `gatesReadiness` (default true) holds /health/ready to the lag budget. */
  follow(name: string, follower: { stats(): FollowerStats }, options?: { readonly gatesReadiness?: boolean }): void;
  followed(): readonly FollowedFollower[];
}

export const installFollowerMetrics = (registry: Registry, ledger: Pick<Ledger, 'head'>): FollowerMetrics => {
  const followers = new Map<string, FollowedFollower>();
  pulledGauge(registry, {
    name: 'tickvault_follower_checkpoint_position',
    help: 'Ledger position through which a follower has committed its output.',
    labelNames: ['follower'],
    read: () => [...followers.values()].map((f) => [{ follower: f.name }, f.follower.stats().checkpoint] as const),
  });
  pulledGauge(registry, {
    name: 'tickvault_follower_lag_events',
    help: 'Ledger events a follower is behind the ledger head.',
    labelNames: ['follower'],
    read: async () => {
      const head = (await ledger.head()).position;
      return [...followers.values()].map((f) => [{ follower: f.name }, Math.max(0, head - f.follower.stats().checkpoint)] as const);
    },
  });
  return {
    follow(name, follower, options) {
      if (followers.has(name)) throw new Error(`a follower named ${JSON.stringify(name)} is already followed: give each follower its own name`);
      followers.set(name, { name, follower, gatesReadiness: options?.gatesReadiness ?? true });
    },
    followed: () => [...followers.values()],
  };
};

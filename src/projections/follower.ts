/**
 * A ledger follower: a process that reads the ledger (directly, or through the bus the relay
 * fills) from its checkpoint on and keeps some output up to date — the live projection, the
 * relay, the alert engines and the alert feed. One shape for all of them, so the composition
 * root starts, stops and waits for each the same way, and a caller that waits for "everything
 * up to position N is reflected" need not know which follower it waits for.
 */
export interface FollowerStats {
  /** The ledger position through which the follower's output is committed. */
  readonly checkpoint: number;
}

export interface Follower<Stats extends FollowerStats = FollowerStats> {
  start(): Promise<void>;
  /** Stops following; resolves once no batch is being handled and what must be saved is saved. */
  stop(): Promise<void>;
  /** Resolves once the follower has handled everything the ledger held when it started. */
  readonly caughtUp: Promise<void>;
  /** Resolves once the follower's output reflects every event up to `position`. */
  waitFor(position: number): Promise<void>;
  stats(): Stats;
}

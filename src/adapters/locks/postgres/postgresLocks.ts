/**
 * ExclusiveLocks on PostgreSQL session advisory locks, on one connection of their own that the
 * process keeps for its life. PostgreSQL releases a session's locks when the session ends, so a
 * holder that is killed (or whose network is cut) frees its locks as soon as the server notices
 * the connection is gone; keepalive bounds how long that takes on a silent network.
 *
 * A name becomes the lock's 64-bit key through `hashtextextended`, under a scope (the ledger's
 * schema), so platforms sharing one PostgreSQL do not take each other's locks.
 */
import pg from 'pg';
import type { ExclusiveLocks } from '../../../domain/ports.js';

export interface PostgresLocksOptions {
  /** A postgres:// connection string. */
  readonly url: string;
  /** Prefixed to every name: one set of locks per platform (its ledger schema). */
  readonly scope: string;
}

export const openPostgresLocks = async (options: PostgresLocksOptions): Promise<ExclusiveLocks> => {
  const client = new pg.Client({ connectionString: options.url, keepAlive: true, application_name: 'tickvault-locks' });
  await client.connect();
  const held = new Set<string>();
  const lostHandlers: Array<(error: Error) => void> = [];
  let closing = false;
  let lost: Error | undefined;
  const loseAll = (error: Error): void => {
    if (closing || lost !== undefined) return;
    lost = error;
    held.clear();
    // A holder must stop its work; a standby could never take over on this connection: both are told.
    for (const h of lostHandlers) h(error);
  };
  client.on('error', (e) => loseAll(new Error(`the connection holding the locks failed: ${e.message}`)));
  client.on('end', () => loseAll(new Error('the connection holding the locks ended')));

  return {
    async tryAcquire(name) {
      if (lost !== undefined) throw lost;
      if (held.has(name)) return true;
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [`${options.scope}/${name}`]);
      if (rows[0]?.ok === true) held.add(name);
      return held.has(name);
    },
    onLost(handler) {
      lostHandlers.push(handler);
    },
    async close() {
      if (closing) return;
      closing = true;
      // Ending the session releases every advisory lock it holds.
      await client.end().catch(() => undefined);
      held.clear();
    },
  };
};

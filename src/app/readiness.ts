/**
 * Whether this process should get traffic (/health/ready): the ledger answers, the projections
 * were started and every follower that gates readiness is within the lag budget, and the servers
 * the process reads through its adapters answer (on the cluster profile: PostgreSQL through the
 * ledger, Redis through the live store and BullMQ, HBase through the batch store; Kafka shows as
 * the relay's lag). Each check is bounded in time, so a hung server makes the answer "not ready",
 * never a hung probe.
 */
import type { Readiness, ReadinessCheck } from '../adapters/http/httpPlatform.js';
import type { Ledger } from '../domain/ports.js';
import type { FollowedFollower } from './metrics/followerMetrics.js';

/** A check slower than this fails: probes are short and frequent. */
const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessDeps {
  readonly ledger: Pick<Ledger, 'head'>;
  /** The process roles this process was started with: only their parts are checked (named in the answer, so a reader knows what was judged). */
  readonly roles: readonly string[];
  /** 'not-run': this process runs no projections (a one-shot command); else whether they were started. */
  readonly projections: () => 'not-run' | 'started' | 'starting';
  /** Roles this process stands by for (another process runs them): ready, since a standby must be ready to take over. */
  readonly standby?: () => readonly string[];
  readonly followers: () => readonly FollowedFollower[];
  /** A follower further behind the head than this is not ready. */
  readonly maxLag: number;
  /** Cheap reads through the adapters that reach a server, by what they reach. */
  readonly servers: ReadonlyArray<{ readonly name: string; readonly probe: () => Promise<unknown> }>;
}

const withinTime = async <T>(work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const check = async (name: string, run: () => Promise<string>): Promise<ReadinessCheck> => {
  try {
    return { name, ok: true, detail: await withinTime(run()) };
  } catch (e) {
    return { name, ok: false, detail: messageOf(e) };
  }
};

export const checkReadiness = async (d: ReadinessDeps): Promise<Readiness> => {
  let headPosition = 0;
  const ledger = await check('ledger', async () => {
    headPosition = (await d.ledger.head()).position;
    return `open, head at position ${headPosition}`;
  });
  const servers = await Promise.all(d.servers.map((s) => check(s.name, async () => (await s.probe(), 'answers'))));
  const state = d.projections();
  const checks: ReadinessCheck[] = [{ name: 'roles', ok: true, detail: `runs ${d.roles.join(', ')}` }, ledger, ...servers];
  if (state === 'not-run') checks.push({ name: 'projections', ok: true, detail: 'not run in this process' });
  else {
    checks.push({ name: 'projections', ok: state === 'started', detail: state });
    for (const role of d.standby?.() ?? []) checks.push({ name: `role ${role}`, ok: true, detail: 'standby: another process runs it; this one takes over when that one ends' });
    const head = ledger.ok ? headPosition : undefined;
    for (const f of d.followers().filter((x) => x.gatesReadiness)) {
      if (head === undefined) {
        checks.push({ name: `follower ${f.name}`, ok: false, detail: 'lag unknown: the ledger does not answer' });
        continue;
      }
      const lag = Math.max(0, head - f.follower.stats().checkpoint);
      checks.push({ name: `follower ${f.name}`, ok: lag <= d.maxLag, detail: `${lag} events behind the ledger head (budget ${d.maxLag})` });
    }
  }
  return { ready: checks.every((c) => c.ok), checks };
};

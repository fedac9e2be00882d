/**
 * The parts of the platform a `tickvault start` process can run (`--roles`), so that on the
 * cluster profile each part runs and scales in processes of its own. Names are part of the
 * deployment contract (one Kubernetes Deployment per role runs `--roles <role>`): keep them.
 *
 * Some roles fold the ledger into one shared output whose checkpoint they own (the live views
 * in Redis, the batch views in HBase, the relay's checkpoint on the bus) or sequence what enters
 * the ledger (ingest): two processes doing one of these at once would double-count or fight.
 * Those run once: a process of such a role takes the role's lock first, and a second process
 * waits as a standby that takes over when the holder ends. The others run in any number.
 */
export const PROCESS_ROLES = ['api', 'ingest', 'live', 'batch', 'alerts', 'relay', 'jobs'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** What `--roles` accepts: `all`, or roles from PROCESS_ROLES. */
export const ALL_ROLES = 'all';

/** What each role runs, for --help and the docs. */
export const ROLE_PARTS: Record<ProcessRole, string> = {
  api: 'the HTTP API and WebSockets: reads, and commands appended to the ledger (any number)',
  ingest: 'the configured sources, recorded into the ledger (one sequencer: others stand by)',
  live: 'the live projection into the live store (one: others stand by)',
  batch: 'the batch projector and the recompute jobs (one: others stand by)',
  alerts: 'the alert engine, default rules and webhook deliveries (any number)',
  relay: 'the ledger → Kafka relay (one: others stand by)',
  jobs: 'the job workers: backtests, daily risk assessments and analytics (any number)',
};

/** Roles that run in one process at a time: each holds a lock named after it while it runs. */
export const SINGLE_PROCESS_ROLES: ReadonlySet<ProcessRole> = new Set(['ingest', 'live', 'batch', 'relay']);

/** The roles a valid `--roles` value names ("all", or a list such as "api,jobs"; the setting's kind has checked it). */
export const rolesOf = (setting: string): ReadonlySet<ProcessRole> =>
  new Set(setting === ALL_ROLES ? PROCESS_ROLES : PROCESS_ROLES.filter((r) => setting.split(',').includes(r)));

export const runsEveryRole = (roles: ReadonlySet<ProcessRole>): boolean => PROCESS_ROLES.every((r) => roles.has(r));

/**
 * Re-recording the configured profile's ledger from a format of earlier versions as a
 * transparency log written in blocks (adapters/ledger/migration): the hash chain, or the first
 * tree format of one row per event, on either profile. The old ledger is verified first; a
 * ledger that does not verify is left exactly as it was. The old ledger is kept beside the new
 * one: the file as ledger.hash-chain.sqlite or ledger.event-rows.sqlite (embedded), the schema as
 * <schema>_hash_chain or <schema>_event_rows (cluster).
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import pg from 'pg';
import { EVENT_ROW_COLUMNS, verifyEventRows } from '../../adapters/ledger/migration/eventRowMigration.js';
import { chainOrigin, HASH_CHAIN_COLUMNS, reRecord, verifyHashChain, type ChainVerdict, type HashChainRow, type HashChainSource, type OldRowSource } from '../../adapters/ledger/migration/hashChainMigration.js';
import { openPostgresLedger } from '../../adapters/ledger/postgres/postgresLedger.js';
import { IS_EVENT_ROW_FORMAT as PG_EVENT_ROWS, IS_HASH_CHAIN_FORMAT as PG_HASH_CHAIN } from '../../adapters/ledger/postgres/schema.js';
import type { EventRow } from '../../adapters/ledger/sealEvent.js';
import { IS_EVENT_ROW_FORMAT as SQLITE_EVENT_ROWS, IS_HASH_CHAIN_FORMAT as SQLITE_HASH_CHAIN } from '../../adapters/ledger/sqlite/schema.js';
import { openSqliteLedger } from '../../adapters/ledger/sqlite/sqliteLedger.js';
import type { EventMeta } from '../../domain/events/envelope.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { Ledger } from '../../domain/ports.js';
import type { Config } from '../config.js';
import { postgresUrlOf } from './cluster.js';
import { embeddedLedgerFile } from './embedded.js';
import { ledgerSignerOf } from './ledgerSigner.js';

/** How a migration tells its progress (a bar per pass) and its outcome (lines of text). */
export interface MigrationReport {
  progress(label: string, total: number): { update(done: number): void; finish(): void };
  say(line: string): void;
}

/** A clock the migration sets to each old group's recordedAt before appending it. */
const settableClock = () => {
  let t = 0;
  return { now: () => t, set: (v: number) => void (t = v) };
};

/** How one older format is checked and re-recorded. */
interface OldFormat<Row extends Omit<EventRow, 'leaf_hash'>> {
  readonly name: string;
  readonly source: OldRowSource<Row>;
  verify(onProgress: (done: number) => void): Promise<ChainVerdict>;
  /** What each re-recorded event keeps of its old place, in its meta. */
  origin(row: Row): Partial<EventMeta>;
}

const hashChainFormat = (source: HashChainSource): OldFormat<HashChainRow> => ({
  name: 'the hash chain',
  source,
  verify: (onProgress) => verifyHashChain(source, onProgress),
  origin: chainOrigin,
});

/** Verifies the old ledger, then re-records it into `open()`'s ledger; the exit code. */
const migrate = async <Row extends Omit<EventRow, 'leaf_hash'>>(format: OldFormat<Row>, open: (clock: ReturnType<typeof settableClock>) => Promise<Ledger>, report: MigrationReport): Promise<number> => {
  const checking = report.progress(`verifying ${format.name}`, format.source.total);
  const verdict = await format.verify((n) => checking.update(n));
  checking.finish();
  if (!verdict.ok) {
    report.say(`the old ledger is BROKEN at position ${verdict.position}: ${verdict.reason}. Nothing was migrated; \`tickvault verify\` on the old version names what differs.\n`);
    return 1;
  }
  const clock = settableClock();
  const target = await open(clock);
  try {
    const copying = report.progress('re-recording', format.source.total);
    await reRecord(format.source, target, clock, (n) => copying.update(n), (row) => format.origin(row));
    copying.finish();
    const check = await target.verify();
    if (!check.ok) throw new Error(`the new ledger does not verify at position ${check.position}: ${check.reason}`);
    report.say(`migrated ${verdict.events} events into the transparency log: tree root ${check.head.root}, checkpoint of ${check.checkpoint?.size ?? 0} events signed\n`);
    return 0;
  } finally {
    await target.close();
  }
};

/** Migrates one older format of the embedded ledger file (read through `old`) into the staging file. */
const migrateSqliteFormat = <Row extends Omit<EventRow, 'leaf_hash'>>(format: OldFormat<Row>, staging: string, config: Config, report: MigrationReport): Promise<number> => {
  for (const f of [staging, `${staging}-wal`, `${staging}-shm`]) rmSync(f, { force: true });
  return migrate(format, async (clock) => openSqliteLedger({ path: staging, clock, signer: ledgerSignerOf(config) }), report);
};

/**
 * The embedded ledger file in either older format: the hash chain (verified link by link, each
 * event keeping its old position and hash in meta), or one row per event with its leaf hash
 * (verified leaf by leaf and against its last checkpoint's root; re-recorded byte for byte, so
 * the tree and every signed root stay the same). Kept beside the new file under `suffix`.
 */
const migrateEmbedded = async (config: Config, report: MigrationReport): Promise<number> => {
  const file = embeddedLedgerFile(config);
  if (!existsSync(file)) throw new InvalidInputError(`no ledger at ${file}: pass the data folder with --data-dir`);
  const staging = `${file}.migrating`;
  const old = new Database(file);
  let code: number;
  let suffix: string;
  try {
    const total = (): number => old.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck().get()!;
    if (old.prepare(SQLITE_HASH_CHAIN).get() !== undefined) {
      const page = old.prepare<[number, number], HashChainRow>(`SELECT ${HASH_CHAIN_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
      suffix = '.hash-chain.sqlite';
      code = await migrateSqliteFormat(hashChainFormat({ total: total(), read: async (after, limit) => page.all(after, limit) }), staging, config, report);
    } else if (old.prepare(SQLITE_EVENT_ROWS).get() !== undefined) {
      const page = old.prepare<[number, number], EventRow>(`SELECT ${EVENT_ROW_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
      const last = old.prepare<[], { size: number; root: Buffer }>('SELECT size, root FROM checkpoints ORDER BY size DESC LIMIT 1').get();
      const source: OldRowSource<EventRow> = { total: total(), read: async (after, limit) => page.all(after, limit) };
      suffix = '.event-rows.sqlite';
      // Same bytes, same leaves: the events need nothing of their old place.
      code = await migrateSqliteFormat({ name: 'the one-row-per-event tree', source, verify: (onProgress) => verifyEventRows(source, last, onProgress), origin: () => ({}) }, staging, config, report);
    } else {
      report.say(`${file} is already a transparency log written in blocks: nothing to migrate\n`);
      return 0;
    }
  } finally {
    old.close();
  }
  if (code === 0) {
    const backup = file.replace(/\.sqlite$/, suffix);
    renameSync(file, backup);
    renameSync(staging, file);
    report.say(`the old ledger is kept as ${backup}\n`);
  }
  return code;
};

/**
 * The cluster ledger's schema in either older format, as for the embedded file; the new ledger is
 * written to a staging schema that takes the old one's name, and the old schema is kept beside it
 * as <schema>_hash_chain or <schema>_event_rows.
 */
const migrateCluster = async (config: Config, report: MigrationReport): Promise<number> => {
  const url = postgresUrlOf(config);
  const schema = config.postgresSchema;
  const staging = `${schema}_tree`.slice(0, 63);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const events = `"${schema}".events`;
    const total = async (): Promise<number> => Number((await client.query<{ p: string }>(`SELECT COALESCE(MAX(position), 0) AS p FROM ${events}`)).rows[0]!.p);
    const pageOf =
      <Row extends pg.QueryResultRow>(columns: string) =>
      async (after: number, limit: number): Promise<Row[]> =>
        (await client.query<Row>(`SELECT ${columns} FROM ${events} WHERE position > $1 ORDER BY position LIMIT $2`, [after, limit])).rows;
    const open = (clock: ReturnType<typeof settableClock>): Promise<Ledger> => openPostgresLedger({ url, schema: staging, clock, signer: ledgerSignerOf(config) });
    let code: number;
    let suffix: string;
    if ((await client.query(PG_HASH_CHAIN, [schema])).rowCount !== 0) {
      suffix = '_hash_chain';
      await client.query(`DROP SCHEMA IF EXISTS "${staging}" CASCADE`);
      code = await migrate(hashChainFormat({ total: await total(), read: pageOf<HashChainRow>(HASH_CHAIN_COLUMNS) }), open, report);
    } else if ((await client.query(PG_EVENT_ROWS, [schema])).rowCount !== 0) {
      suffix = '_event_rows';
      const last = (await client.query<{ size: string; root: Buffer }>(`SELECT size, root FROM "${schema}".checkpoints ORDER BY size DESC LIMIT 1`)).rows[0];
      const source: OldRowSource<EventRow> = { total: await total(), read: pageOf<EventRow>(EVENT_ROW_COLUMNS) };
      await client.query(`DROP SCHEMA IF EXISTS "${staging}" CASCADE`);
      // Same bytes, same leaves: the events need nothing of their old place.
      const lastCheckpoint = last === undefined ? undefined : { size: Number(last.size), root: last.root };
      code = await migrate({ name: 'the one-row-per-event tree', source, verify: (onProgress) => verifyEventRows(source, lastCheckpoint, onProgress), origin: () => ({}) }, open, report);
    } else {
      report.say(`schema "${schema}" is already a transparency log written in blocks: nothing to migrate\n`);
      return 0;
    }
    if (code === 0) {
      const backup = `${schema}${suffix}`.slice(0, 63);
      await client.query('BEGIN');
      await client.query(`ALTER SCHEMA "${schema}" RENAME TO "${backup}"`);
      await client.query(`ALTER SCHEMA "${staging}" RENAME TO "${schema}"`);
      await client.query('COMMIT');
      report.say(`the old ledger is kept in schema "${backup}" (with the snapshots and checkpoints that pinned its hashes)\n`);
    }
    return code;
  } finally {
    await client.end();
  }
};

/** Migrates the configured profile's ledger; the exit code (0: migrated or nothing to do, 1: the old chain is broken). */
export const migrateProfileLedger = (config: Config, report: MigrationReport): Promise<number> =>
  config.profile === 'cluster' ? migrateCluster(config, report) : migrateEmbedded(config, report);

/**
 * Re-recording the configured profile's ledger from the hash-chain format of earlier versions as
 * a transparency log (adapters/ledger/migration). The old chain is verified first; a ledger that
 * does not verify is left exactly as it was. The old ledger is kept beside the new one: the file
 * as ledger.hash-chain.sqlite (embedded), the schema as <schema>_hash_chain (cluster).
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import pg from 'pg';
import { HASH_CHAIN_COLUMNS, reRecord, verifyHashChain, type HashChainRow, type HashChainSource } from '../../adapters/ledger/migration/hashChainMigration.js';
import { openPostgresLedger } from '../../adapters/ledger/postgres/postgresLedger.js';
import { IS_HASH_CHAIN_FORMAT as PG_HASH_CHAIN } from '../../adapters/ledger/postgres/schema.js';
import { IS_HASH_CHAIN_FORMAT as SQLITE_HASH_CHAIN } from '../../adapters/ledger/sqlite/schema.js';
import { openSqliteLedger } from '../../adapters/ledger/sqlite/sqliteLedger.js';
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

/** Verifies the old chain, then re-records it into `open()`'s ledger; the exit code. */
const migrate = async (source: HashChainSource, open: (clock: ReturnType<typeof settableClock>) => Promise<Ledger>, report: MigrationReport): Promise<number> => {
  const checking = report.progress('verifying the hash chain', source.total);
  const verdict = await verifyHashChain(source, (n) => checking.update(n));
  checking.finish();
  if (!verdict.ok) {
    report.say(`the old ledger is BROKEN at position ${verdict.position}: ${verdict.reason}. Nothing was migrated; \`tickvault verify\` on the old version names what differs.\n`);
    return 1;
  }
  const clock = settableClock();
  const target = await open(clock);
  try {
    const copying = report.progress('re-recording', source.total);
    await reRecord(source, target, clock, (n) => copying.update(n));
    copying.finish();
    const check = await target.verify();
    if (!check.ok) throw new Error(`the new ledger does not verify at position ${check.position}: ${check.reason}`);
    report.say(`migrated ${verdict.events} events into the transparency log: tree root ${check.head.root}, checkpoint of ${check.checkpoint?.size ?? 0} events signed\n`);
    return 0;
  } finally {
    await target.close();
  }
};

const migrateEmbedded = async (config: Config, report: MigrationReport): Promise<number> => {
  const file = embeddedLedgerFile(config);
  if (!existsSync(file)) throw new InvalidInputError(`no ledger at ${file}: pass the data folder with --data-dir`);
  const backup = file.replace(/\.sqlite$/, '.hash-chain.sqlite');
  const staging = `${file}.migrating`;
  const old = new Database(file);
  let code: number;
  try {
    if (old.prepare(SQLITE_HASH_CHAIN).get() === undefined) {
      report.say(`${file} is already a transparency log: nothing to migrate\n`);
      return 0;
    }
    const page = old.prepare<[number, number], HashChainRow>(`SELECT ${HASH_CHAIN_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    const total = old.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck().get()!;
    for (const f of [staging, `${staging}-wal`, `${staging}-shm`]) rmSync(f, { force: true });
    code = await migrate({ total, read: async (after, limit) => page.all(after, limit) }, async (clock) => openSqliteLedger({ path: staging, clock, signer: ledgerSignerOf(config) }), report);
  } finally {
    old.close();
  }
  if (code === 0) {
    renameSync(file, backup);
    renameSync(staging, file);
    report.say(`the old ledger is kept as ${backup}\n`);
  }
  return code;
};

const migrateCluster = async (config: Config, report: MigrationReport): Promise<number> => {
  const url = postgresUrlOf(config);
  const schema = config.postgresSchema;
  const staging = `${schema}_tree`.slice(0, 63);
  const backup = `${schema}_hash_chain`.slice(0, 63);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if ((await client.query(PG_HASH_CHAIN, [schema])).rowCount === 0) {
      report.say(`schema "${schema}" is not a hash-chain ledger: nothing to migrate\n`);
      return 0;
    }
    const total = Number((await client.query<{ p: string }>(`SELECT COALESCE(MAX(position), 0) AS p FROM "${schema}".events`)).rows[0]!.p);
    const source: HashChainSource = {
      total,
      read: async (after, limit) => (await client.query<HashChainRow>(`SELECT ${HASH_CHAIN_COLUMNS} FROM "${schema}".events WHERE position > $1 ORDER BY position LIMIT $2`, [after, limit])).rows,
    };
    await client.query(`DROP SCHEMA IF EXISTS "${staging}" CASCADE`);
    const code = await migrate(source, (clock) => openPostgresLedger({ url, schema: staging, clock, signer: ledgerSignerOf(config) }), report);
    if (code === 0) {
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

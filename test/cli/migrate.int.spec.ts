/**
 * `tickvault migrate` on ledgers written in the hash-chain format of earlier versions, built here
 * with that format's own schema and hash rule: start-up refuses them naming the command; the
 * command verifies the old chain, re-records every event with its position, stream version,
 * recordedAt and content unchanged (old position and hash in meta), keeps the old ledger, and
 * leaves a broken old ledger exactly as it was. Embedded (SQLite) and cluster (PostgreSQL).
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openPostgresLedger } from '../../src/adapters/ledger/postgres/postgresLedger.js';
import { openSqliteLedger } from '../../src/adapters/ledger/sqlite/sqliteLedger.js';
import { ledgerSignerOf } from '../../src/app/profiles/ledgerSigner.js';
import { DEFAULT_CONFIG, type Config } from '../../src/app/config.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { runMigrate } from '../../src/cli/commands/migrate.js';
import { canonicalEventBytes, canonicalJson } from '../../src/domain/events/canonical.js';
import type { Ledger } from '../../src/domain/ports.js';
import { requireStack } from '../support/stack.js';
import { leafHash } from '../../src/adapters/ledger/merkle/rfc6962.js';
import { createTreeFrontier } from '../../src/adapters/ledger/merkle/treeFrontier.js';
import type { EventMeta } from '../../src/domain/events/envelope.js';

/** The events table of the hash-chain format, as earlier versions created it. */
const OLD_EVENTS_TABLE = (bigint: string) => `
CREATE TABLE events (
  position ${bigint} PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  stream TEXT NOT NULL, stream_version INTEGER NOT NULL, data TEXT NOT NULL, meta TEXT NOT NULL,
  dedup_key TEXT UNIQUE, recorded_at ${bigint} NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL);`;

type OldRow = [number, string, string, number, string, number, string, string, string | null, number, string, string];

/** 600 events in groups of 150 (one recordedAt each), two streams, hash-chained the old way. */
const oldLedgerRows = (): OldRow[] => {
  const rows: OldRow[] = [];
  let prev = '0'.repeat(64);
  for (let position = 1; position <= 600; position++) {
    const stream = `trades/${position % 2}`;
    const recordedAt = 1_704_067_200_000 + Math.ceil(position / 150) * 1_000;
    const e = {
      position,
      id: `old-${position}`,
      type: 'TradeObserved',
      schemaVersion: 1,
      stream,
      streamVersion: Math.ceil(position / 2),
      data: { n: position, price: '100.5' },
      meta: { actor: 'old', correlationId: 'c', causationId: null, source: 'test', recordedAt },
      dedupKey: position % 3 === 0 ? `k-${position}` : null,
    };
    const hash = createHash('sha256').update(prev + canonicalEventBytes(e)).digest('hex');
    rows.push([position, e.id, e.type, 1, stream, e.streamVersion, canonicalJson(e.data), canonicalJson(e.meta), e.dedupKey, recordedAt, prev, hash]);
    prev = hash;
  }
  return rows;
};

const quietly = async (run: () => Promise<number>): Promise<{ code: number; out: string }> => {
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await run(), out };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
};

/** What migration must keep: every event as it was, with its old position and hash in meta. */
const expectMigrated = async (ledger: Ledger, rows: readonly OldRow[]): Promise<void> => {
  const events = [...(await ledger.read(0, 1_000))];
  expect(events).toHaveLength(rows.length);
  events.forEach((e, i) => {
    const [position, id, type, , stream, streamVersion, data, , dedupKey, recordedAt, , hash] = rows[i]!;
    expect(e).toMatchObject({ position, id, type, stream, streamVersion, dedupKey, data: JSON.parse(data) as unknown, meta: { actor: 'old', recordedAt, migratedFrom: { position, hash } } });
  });
  expect(await ledger.positionRecordedBy(1_704_067_202_000)).toBe(300);
  expect(await ledger.verify()).toMatchObject({ ok: true, checked: rows.length });
  // One old append group, one checkpoint.
  expect((await ledger.checkpointAt(1))?.size).toBe(150);
};

const args = parseCommandLine(['migrate']);

describe('tickvault migrate (embedded)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const oldDataDir = (tamper?: (db: Database.Database) => void): { config: Config; rows: OldRow[] } => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-migrate-'));
    dirs.push(dir);
    const db = new Database(path.join(dir, 'ledger.sqlite'));
    db.exec(OLD_EVENTS_TABLE('INTEGER'));
    const rows = oldLedgerRows();
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => rows.forEach((r) => insert.run(...r)))();
    tamper?.(db);
    db.close();
    return { config: { ...DEFAULT_CONFIG, dataDir: dir }, rows };
  };

  it('start-up refuses the old format, naming tickvault migrate; migrate re-records it and keeps the old file', async () => {
    const { config, rows } = oldDataDir();
    const file = path.join(config.dataDir, 'ledger.sqlite');
    expect(() => openSqliteLedger({ path: file, clock: { now: () => 0 }, signer: ledgerSignerOf(config) })).toThrow(/hash-chain format .*tickvault migrate/);
    const { code, out } = await quietly(() => runMigrate(config, args));
    expect(code).toBe(0);
    expect(out).toMatch(/migrated 600 events/);
    expect(existsSync(path.join(config.dataDir, 'ledger.hash-chain.sqlite'))).toBe(true);
    const ledger = openSqliteLedger({ path: file, clock: { now: () => Date.now() }, signer: ledgerSignerOf(config) });
    try {
      await expectMigrated(ledger, rows);
      expect((await ledger.append([{ id: 'new-1', type: 'Noted', schemaVersion: 1, stream: 'trades/0', data: {}, meta: { actor: 'a', correlationId: 'c', causationId: null, source: 't' } }])).appended[0]).toMatchObject({ position: 601, streamVersion: 301 });
    } finally {
      await ledger.close();
    }
    expect((await quietly(() => runMigrate(config, args))).out).toMatch(/already a transparency log/);
  });

  it('refuses an old ledger whose chain is broken, naming the position, and changes nothing', async () => {
    const { config } = oldDataDir((db) => db.prepare(`UPDATE events SET data = '{"n":1}' WHERE position = 222`).run());
    const { code, out } = await quietly(() => runMigrate(config, args));
    expect(code).toBe(1);
    expect(out).toMatch(/BROKEN at position 222: stored hash does not match/);
    expect(existsSync(path.join(config.dataDir, 'ledger.hash-chain.sqlite'))).toBe(false);
    expect(() => openSqliteLedger({ path: path.join(config.dataDir, 'ledger.sqlite'), clock: { now: () => 0 }, signer: ledgerSignerOf(config) })).toThrow(/tickvault migrate/);
  });
});

/** The first tree format: one events row per event with its leaf hash, tiles and signed checkpoints beside, as that version created them. */
const EVENT_ROWS_SCHEMA = `
CREATE TABLE events (
  position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  stream TEXT NOT NULL, stream_version INTEGER NOT NULL, data TEXT NOT NULL, meta TEXT NOT NULL,
  dedup_key TEXT UNIQUE, recorded_at INTEGER NOT NULL, leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE TABLE tree_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, time INTEGER NOT NULL, note TEXT NOT NULL);
CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;`;

/** The old rows with the leaf each was hashed to in the one-row format, and the root of all of them. */
const eventRowsOf = (rows: OldRow[]): { rows: OldRow[]; leaves: Buffer[]; root: Buffer } => {
  const tree = createTreeFrontier();
  const leaves = rows.map(([position, id, type, schemaVersion, stream, streamVersion, data, meta, dedupKey]) => {
    const leaf = leafHash(canonicalEventBytes({ position, id, type, schemaVersion, stream, streamVersion, data: JSON.parse(data) as unknown, meta: JSON.parse(meta) as EventMeta, dedupKey }));
    tree.append(leaf);
    return leaf;
  });
  return { rows, leaves, root: tree.root() };
};

describe('tickvault migrate (embedded, one row per event)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  /** The same 600 events written in the one-row format, with the root its last checkpoint signed. */
  const eventRowsDataDir = (tamper?: (db: Database.Database) => void): { config: Config; rows: OldRow[]; root: Buffer } => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-migrate-rows-'));
    dirs.push(dir);
    const config = { ...DEFAULT_CONFIG, dataDir: dir };
    const db = new Database(path.join(dir, 'ledger.sqlite'));
    db.exec(EVENT_ROWS_SCHEMA);
    const { rows, leaves, root } = eventRowsOf(oldLedgerRows());
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => rows.forEach((row, i) => insert.run(...row.slice(0, 10), leaves[i])))();
    db.prepare('INSERT INTO checkpoints VALUES (?, ?, ?, ?)').run(rows.length, root, 0, ledgerSignerOf(config).sign({ size: rows.length, root, time: 0 }));
    tamper?.(db);
    db.close();
    return { config, rows, root };
  };

  it('start-up refuses the format naming tickvault migrate; migrate re-records every event byte for byte, so the tree root is the one signed before', async () => {
    const { config, rows, root } = eventRowsDataDir();
    const file = path.join(config.dataDir, 'ledger.sqlite');
    expect(() => openSqliteLedger({ path: file, clock: { now: () => 0 }, signer: ledgerSignerOf(config) })).toThrow(/one-row-per-event format .*tickvault migrate/);
    const { code, out } = await quietly(() => runMigrate(config, args));
    expect(code, out).toBe(0);
    expect(out).toMatch(/migrated 600 events/);
    expect(existsSync(path.join(config.dataDir, 'ledger.event-rows.sqlite'))).toBe(true);
    const ledger = openSqliteLedger({ path: file, clock: { now: () => Date.now() }, signer: ledgerSignerOf(config) });
    try {
      const events = await ledger.read(0, 1_000);
      expect(events.map((e) => [e.position, e.id, e.stream, e.streamVersion, JSON.stringify(e.data), e.dedupKey, e.meta.recordedAt])).toEqual(
        rows.map(([position, id, , , stream, streamVersion, data, , dedupKey, recordedAt]) => [position, id, stream, streamVersion, data, dedupKey, recordedAt]),
      );
      expect(events.every((e) => e.meta.migratedFrom === undefined)).toBe(true);
      expect((await ledger.checkpointAt(600))?.root).toBe(root.toString('hex'));
      expect((await ledger.verify()).ok).toBe(true);
    } finally {
      await ledger.close();
    }
    expect((await quietly(() => runMigrate(config, args))).out).toMatch(/already a transparency log/);
  });

  it('refuses a one-row ledger whose event no longer matches its leaf, naming the position, and changes nothing', async () => {
    const { config } = eventRowsDataDir((db) => db.prepare(`UPDATE events SET data = '{"n":1}' WHERE position = 222`).run());
    const { code, out } = await quietly(() => runMigrate(config, args));
    expect(code).toBe(1);
    expect(out).toMatch(/BROKEN at position 222: the stored event does not match its leaf hash/);
    expect(existsSync(path.join(config.dataDir, 'ledger.event-rows.sqlite'))).toBe(false);
  });
});

/** The first tree format on PostgreSQL: one events row per event with its leaf hash, as that version created it. */
const PG_EVENT_ROWS_SCHEMA = `
CREATE TABLE events (
  position BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
  stream TEXT NOT NULL, stream_version INTEGER NOT NULL, data TEXT NOT NULL, meta TEXT NOT NULL,
  dedup_key TEXT UNIQUE, recorded_at BIGINT NOT NULL, leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE TABLE tree_tiles (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (level, idx));
CREATE TABLE checkpoints (size BIGINT PRIMARY KEY, root BYTEA NOT NULL, time BIGINT NOT NULL, note TEXT NOT NULL);
CREATE TABLE streams (stream TEXT PRIMARY KEY, version INTEGER NOT NULL);
CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), position BIGINT NOT NULL, root BYTEA NOT NULL, frontier BYTEA NOT NULL, recorded_at BIGINT NOT NULL);`;

const postgres = requireStack('postgres');

describe.skipIf(postgres.skip)('tickvault migrate (cluster)', () => {
  const schema = `tv_migrate_${process.pid}_${Date.now().toString(36)}`;
  const rowsSchema = `${schema}_r`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-migrate-pg-'));
  const admin = async <T>(f: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: postgres.endpoint().url });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  afterAll(async () => {
    await admin(async (c) => {
      for (const s of [schema, `${schema}_hash_chain`, `${schema}_tree`, rowsSchema, `${rowsSchema}_event_rows`, `${rowsSchema}_tree`]) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('start-up refuses the old schema; migrate re-records it into the schema, keeping the old one beside it', async () => {
    const rows = oldLedgerRows();
    await admin(async (c) => {
      await c.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"; ${OLD_EVENTS_TABLE('BIGINT')}`);
      for (const r of rows) await c.query('INSERT INTO events VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', r);
    });
    const config: Config = { ...DEFAULT_CONFIG, profile: 'cluster', dataDir: dir, postgresUrl: postgres.endpoint().url, postgresSchema: schema };
    const open = () => openPostgresLedger({ url: postgres.endpoint().url, schema, clock: { now: () => Date.now() }, signer: ledgerSignerOf(config) });
    await expect(open()).rejects.toThrow(/hash-chain format .*tickvault migrate/);
    const { code, out } = await quietly(() => runMigrate(config, args));
    expect(code, out).toBe(0);
    const ledger = await open();
    try {
      await expectMigrated(ledger, rows);
      expect((await ledger.append([{ id: 'new-1', type: 'Noted', schemaVersion: 1, stream: 'trades/1', data: {}, meta: { actor: 'a', correlationId: 'c', causationId: null, source: 't' } }])).appended[0]).toMatchObject({ position: 601, streamVersion: 301 });
    } finally {
      await ledger.close();
    }
    const kept = await admin(async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${schema}_hash_chain".events`)).rows[0] as { n: number });
    expect(kept.n).toBe(600);
  });

  it('start-up refuses a schema of one row per event; migrate re-records it byte for byte, so the tree root is the one signed before', async () => {
    const { rows, leaves, root } = eventRowsOf(oldLedgerRows());
    const config: Config = { ...DEFAULT_CONFIG, profile: 'cluster', dataDir: dir, postgresUrl: postgres.endpoint().url, postgresSchema: rowsSchema };
    await admin(async (c) => {
      await c.query(`CREATE SCHEMA "${rowsSchema}"; SET search_path TO "${rowsSchema}"; ${PG_EVENT_ROWS_SCHEMA}`);
      for (const [i, row] of rows.entries()) await c.query('INSERT INTO events VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', [...row.slice(0, 10), leaves[i]]);
      await c.query('INSERT INTO checkpoints VALUES ($1, $2, $3, $4)', [rows.length, root, 0, ledgerSignerOf(config).sign({ size: rows.length, root, time: 0 })]);
    });
    const open = () => openPostgresLedger({ url: postgres.endpoint().url, schema: rowsSchema, clock: { now: () => Date.now() }, signer: ledgerSignerOf(config) });
    await expect(open()).rejects.toThrow(/one-row-per-event format .*tickvault migrate/);
    const { code, out } = await quietly(() => runMigrate(config, args));
    expect(code, out).toBe(0);
    expect(out).toMatch(/migrated 600 events/);
    const ledger = await open();
    try {
      const events = await ledger.read(0, 1_000);
      expect(events.map((e) => [e.position, e.id, e.streamVersion, JSON.stringify(e.data), e.dedupKey, e.meta.recordedAt, e.meta.migratedFrom])).toEqual(
        rows.map(([position, id, , , , streamVersion, data, , dedupKey, recordedAt]) => [position, id, streamVersion, data, dedupKey, recordedAt, undefined]),
      );
      expect((await ledger.checkpointAt(600))?.root).toBe(root.toString('hex'));
      expect((await ledger.verify()).ok).toBe(true);
    } finally {
      await ledger.close();
    }
    const kept = await admin(async (c) => (await c.query(`SELECT count(*)::int AS n FROM "${rowsSchema}_event_rows".events`)).rows[0] as { n: number });
    expect(kept.n).toBe(600);
    expect((await quietly(() => runMigrate(config, args))).out).toMatch(/already a transparency log/);
  });
});

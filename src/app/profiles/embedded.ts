/** The embedded profile: one process, files under dataDir, no server to install. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openSqliteBatchStore } from '../../adapters/batch-store/sqlite/sqliteBatchStore.js';
import { createInProcessBroadcaster } from '../../adapters/broadcast/in-process/inProcessBroadcaster.js';
import { createInProcessJobQueue } from '../../adapters/jobs/in-process/inProcessJobQueue.js';
import { openSqliteLedger } from '../../adapters/ledger/sqlite/sqliteLedger.js';
import { createMemoryLiveStore } from '../../adapters/live-store/memory/memoryLiveStore.js';
import { openSqliteSnapshotStore } from '../../adapters/snapshot-store/sqlite/sqliteSnapshotStore.js';
import type { Clock } from '../../domain/ports.js';
import type { Config } from '../config.js';
import type { AdapterSet } from './adapterSet.js';
import { ledgerSignerOf } from './ledgerSigner.js';

export const embeddedLedgerFile = (config: Config): string => path.join(config.dataDir, 'ledger.sqlite');

export const openEmbeddedAdapters = async (config: Config, clock: Clock): Promise<AdapterSet> => {
  mkdirSync(config.dataDir, { recursive: true });
  return {
    ledger: openSqliteLedger({ path: embeddedLedgerFile(config), clock, signer: ledgerSignerOf(config) }),
    batch: openSqliteBatchStore({ path: path.join(config.dataDir, 'batch.sqlite') }),
    live: createMemoryLiveStore(),
    jobs: createInProcessJobQueue({ clock }),
    broadcaster: createInProcessBroadcaster(),
    snapshots: openSqliteSnapshotStore({ path: path.join(config.dataDir, 'snapshots.sqlite') }),
    bus: undefined,
    rateLimitRedis: undefined,
    locks: undefined,
  };
};

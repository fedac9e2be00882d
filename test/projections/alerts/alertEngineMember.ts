/**
 * Child process for the consumer-group test: one Kafka alert engine member on the given ledger
 * schema, topic prefix and group, snapshotting often. Prints `stats <json>` every 100 ms so the
 * parent sees which partitions it folds; the parent kills it with SIGKILL.
 */
import { createKafkaBus } from '../../../src/adapters/bus/kafka/kafkaBus.js';
import { openPostgresLedger } from '../../../src/adapters/ledger/postgres/postgresLedger.js';
import { openPostgresSnapshotStore } from '../../../src/adapters/snapshot-store/postgres/postgresSnapshotStore.js';
import { createUuidV7Generator } from '../../../src/adapters/system/uuidv7.js';
import { systemClock } from '../../../src/adapters/system/systemClock.js';
import { recordAlerts } from '../../../src/commands/recordAlerts.js';
import { createPartitionedAlertEngine } from '../../../src/projections/alerts/partitionedAlertEngine.js';
import { TEST_LEDGER_SIGNER } from '../../support/ledgerSigner.js';

export interface MemberSettings {
  readonly postgresUrl: string;
  readonly schema: string;
  readonly brokers: string;
  readonly topicPrefix: string;
  readonly group: string;
  readonly allowedLatenessMs: number;
  readonly snapshotEveryEvents: number;
}

const s = JSON.parse(process.argv[2]!) as MemberSettings;
const ledger = await openPostgresLedger({ url: s.postgresUrl, schema: s.schema, clock: systemClock, pollMs: 20, signer: TEST_LEDGER_SIGNER });
const bus = await createKafkaBus({ brokers: s.brokers.split(','), clientId: 'alert-member-child', topicPrefix: s.topicPrefix, logLevel: 'nothing' });
const snapshots = await openPostgresSnapshotStore({ url: s.postgresUrl, schema: s.schema });
const deps = { ledger, clock: systemClock, ids: createUuidV7Generator(systemClock) };
const engine = createPartitionedAlertEngine({
  ledger,
  bus,
  group: s.group,
  allowedLatenessMs: s.allowedLatenessMs,
  record: (o, from) => recordAlerts(deps, o, from),
  snapshots,
  clock: systemClock,
  snapshotEveryEvents: s.snapshotEveryEvents,
  snapshotIntervalMs: 3_600_000,
});
await engine.start();
setInterval(() => process.stdout.write(`stats ${JSON.stringify(engine.partitionStats())}\n`), 100);

// A 3-broker Kafka cluster (each node broker and controller) for failover tests: replication
// factor 3 and min.insync.replicas 2, so one broker can die without losing an acknowledged write.
// Ports: node N on TICKVAULT_KAFKA3_PORT + 10·(N-1), its controller one above.
import { brokersStatus, installKafka, startBrokers, stopBrokers } from '../lib/kafkaBrokers.mjs';

const nodes = (settings) =>
  [1, 2, 3].map((id) => ({ id, port: settings.ports.kafka3 + 10 * (id - 1), controllerPort: settings.ports.kafka3 + 10 * (id - 1) + 1 }));

export default {
  name: 'kafka3',
  order: 31,
  describe: 'Apache Kafka 4.1 (KRaft, 3 brokers, RF 3, min.insync.replicas 2), on loopback',
  install: (ctx) => installKafka(ctx),
  start: (ctx) => startBrokers(ctx, { nodes: nodes(ctx.settings), replication: 3, heap: '384m' }),
  stop: (ctx) => stopBrokers(ctx, { nodes: nodes(ctx.settings) }),
  status: (ctx) => brokersStatus(ctx, { nodes: nodes(ctx.settings), name: 'kafka3' }),
};

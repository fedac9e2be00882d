// Apache Kafka 4.1 in KRaft mode, one node (broker and controller), on loopback.
import { brokersStatus, installKafka, startBrokers, stopBrokers } from '../lib/kafkaBrokers.mjs';

const nodes = (settings) => [{ id: 1, port: settings.ports.kafka, controllerPort: settings.ports.kafkaController }];

export default {
  name: 'kafka',
  order: 30,
  describe: 'Apache Kafka 4.1 (KRaft, one node) from Maven Central jars, on loopback',
  install: (ctx) => installKafka(ctx),
  start: (ctx) => startBrokers(ctx, { nodes: nodes(ctx.settings), replication: 1, heap: '512m' }),
  stop: (ctx) => stopBrokers(ctx, { nodes: nodes(ctx.settings) }),
  status: (ctx) => brokersStatus(ctx, { nodes: nodes(ctx.settings), name: 'kafka' }),
};

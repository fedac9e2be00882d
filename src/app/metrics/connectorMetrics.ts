/**
 * The live connectors' own counters (streamingSource.ts, the CoinGecko poller, the sentiment
 * feed), exported one metric per counter with the connector as the only label. Every stat a
 * connector reports has its metric in this table; one it does not name is still exported, as
 * `tickvault_connector_other{connector,stat}`, never dropped (a test holds the table complete for
 * the connectors there are).
 */
import type { Registry } from 'prom-client';
import { pulledCounter, pulledGauge, type Samples } from './registry.js';

type Stats = Record<string, Readonly<Record<string, number>>>;

interface StatMetric {
  readonly name: string;
  readonly help: string;
  readonly kind: 'counter' | 'gauge';
  /** From the connector's unit to the metric's base unit. */
  readonly scale?: number;
}

export const CONNECTOR_STAT_METRICS: Readonly<Record<string, StatMetric>> = {
  up: { name: 'tickvault_connector_up', help: 'Whether the connector is connected (every WebSocket open; the last poll answered): 1 up, 0 down.', kind: 'gauge' },
  connections: { name: 'tickvault_connector_open_connections', help: 'WebSocket connections the connector holds open.', kind: 'gauge' },
  reconnects: { name: 'tickvault_connector_reconnects_total', help: 'Times a connector connection closed and was reopened.', kind: 'counter' },
  messages: { name: 'tickvault_connector_messages_total', help: 'Frames a connector received.', kind: 'counter' },
  skipped: { name: 'tickvault_connector_skipped_messages_total', help: 'Frames that carried no observation (acknowledgements, heartbeats).', kind: 'counter' },
  rejected: { name: 'tickvault_connector_rejected_messages_total', help: 'Frames or records a connector could not decode (kept as dead letters).', kind: 'counter' },
  gaps: { name: 'tickvault_connector_gaps_total', help: 'Trade-id gaps detected.', kind: 'counter' },
  missingTrades: { name: 'tickvault_connector_missing_trades_total', help: 'Trades missing from the detected gaps.', kind: 'counter' },
  recoveredTrades: { name: 'tickvault_connector_recovered_trades_total', help: 'Missing trades recovered from the exchange REST API.', kind: 'counter' },
  repeats: { name: 'tickvault_connector_repeated_trades_total', help: 'Trades dropped as already taken (snapshots on subscribe, REST catch-up overlapping the stream).', kind: 'counter' },
  caughtUpTrades: { name: 'tickvault_connector_caught_up_trades_total', help: 'Trades fetched from the exchange REST API after a reconnect and taken.', kind: 'counter' },
  lagMs: { name: 'tickvault_connector_lag_seconds', help: 'Receive time minus event time of the newest trade.', kind: 'gauge', scale: 1 / 1000 },
  bookSnapshots: { name: 'tickvault_connector_book_snapshots_total', help: 'Order-book snapshots applied (from the socket or REST).', kind: 'counter' },
  bookUpdates: { name: 'tickvault_connector_book_updates_total', help: 'Order-book updates applied after their sequence and checksum checks.', kind: 'counter' },
  bookStale: { name: 'tickvault_connector_book_stale_updates_total', help: 'Order-book updates dropped as already in the snapshot, per the exchange procedure.', kind: 'counter' },
  bookResyncs: { name: 'tickvault_connector_book_resyncs_total', help: 'Order books rebuilt from a fresh snapshot (a sequence gap, a checksum mismatch, a closed connection).', kind: 'counter' },
  requests: { name: 'tickvault_connector_requests_total', help: 'REST requests a polling connector made.', kind: 'counter' },
  rateLimited: { name: 'tickvault_connector_rate_limited_total', help: 'REST requests the provider answered 429.', kind: 'counter' },
  failures: { name: 'tickvault_connector_failures_total', help: 'REST requests that failed (network, status, body).', kind: 'counter' },
  snapshots: { name: 'tickvault_connector_snapshots_total', help: 'Market snapshots a polling connector delivered.', kind: 'counter' },
  lines: { name: 'tickvault_connector_lines_total', help: 'Lines a feed connector read.', kind: 'counter' },
  posts: { name: 'tickvault_connector_posts_total', help: 'Posts a sentiment feed scored.', kind: 'counter' },
  minutes: { name: 'tickvault_connector_closed_windows_total', help: 'Sentiment windows (one minute each) a feed closed.', kind: 'counter' },
};

export const installConnectorMetrics = (registry: Registry, connectors: () => Stats): void => {
  const samples = (stat: string, scale: number): Samples<'connector'> =>
    Object.entries(connectors()).flatMap(([connector, stats]) => (stats[stat] === undefined ? [] : [[{ connector }, stats[stat]! * scale] as const]));
  for (const [stat, m] of Object.entries(CONNECTOR_STAT_METRICS)) {
    const spec = { name: m.name, help: m.help, labelNames: ['connector'] as const, read: () => samples(stat, m.scale ?? 1) };
    if (m.kind === 'counter') pulledCounter(registry, spec);
    else pulledGauge(registry, spec);
  }
  pulledGauge(registry, {
    name: 'tickvault_connector_other',
    help: 'A connector counter without a metric of its own in connectorMetrics.ts (add one there).',
    labelNames: ['connector', 'stat'],
    read: () =>
      Object.entries(connectors()).flatMap(([connector, stats]) =>
        Object.entries(stats)
          .filter(([stat]) => CONNECTOR_STAT_METRICS[stat] === undefined)
          .map(([stat, n]) => [{ connector, stat }, n] as const),
      ),
  });
};

/**
 * The default alert rules over the real trade recordings of ../shared/data (see its
 * PROVENANCE.md): prints the alerts per symbol-day and detector (the table in the README), and
 * checks what must hold on any market: every alert has evidence naming replayed trades, every
 * resolve follows its raise, and a second run gives the same alert ids.
 */
import { describe, expect, it } from 'vitest';
import { createReplaySource } from '../../../src/adapters/sources/replay/replaySource.js';
import { createAlertFold, type AlertOutput } from '../../../src/domain/detectors/alertFold.js';
import type { DomainEvent } from '../../../src/domain/events/catalogue.js';
import { utcDay } from '../../../src/domain/time.js';
import { DEFAULT_ALERT_RULES } from '../../../src/projections/alerts/defaultRules.js';
import { requireSharedData } from '../../support/sharedData.js';

const FILES = [
  'binance-spot-ws-2024-08-08/btcusdt_20240808.gz',
  'binance-spot-ws-2024-08-08/btcusdt_20240809.gz',
  'ws-recordings/BINANCE.ws.1.0',
  'ws-recordings/BINANCE_FUTURES.ws.1.0',
  'ws-recordings/BINANCE_US.ws.1.0',
];
const data = requireSharedData(...FILES);
const meta = { recordedAt: 0, actor: 'test', correlationId: 'c', causationId: null, source: 'replay' };

const run = async (): Promise<{ alerts: AlertOutput[]; trades: Map<number, string>; tradeCount: Map<string, number> }> => {
  const fold = createAlertFold({ allowedLatenessMs: 5_000 });
  let position = 0;
  const envelope = () => ({ position: ++position, id: `e${position}`, schemaVersion: 1, stream: 's', streamVersion: 1, meta, dedupKey: null, leafHash: '' });
  for (const r of DEFAULT_ALERT_RULES) fold.apply({ ...envelope(), type: 'AlertRuleRegistered', data: { ...r, symbols: '*', params: { ...r.params } } } as DomainEvent);
  const alerts: AlertOutput[] = [];
  const trades = new Map<number, string>();
  const tradeCount = new Map<string, number>();
  // One file at a time: each recording is its own market session with its own clock.
  for (const file of FILES) {
    const source = createReplaySource({ files: [data.path(file)] });
    await source.run(async (b) => {
      for (const item of b.items) {
        if (item.kind !== 'trade') continue;
        const d = item.data as { symbol: string; tradeId: string; eventTime: number };
        const e = { ...envelope(), type: 'TradeObserved', data: item.data } as DomainEvent;
        trades.set(e.position, d.tradeId);
        const k = `${d.symbol} ${utcDay(d.eventTime)}`;
        tradeCount.set(k, (tradeCount.get(k) ?? 0) + 1);
        alerts.push(...fold.apply(e));
      }
    }, new AbortController().signal);
  }
  return { alerts, trades, tradeCount };
};

describe('default alert rules over the shared real trades', () => {
  it.skipIf(data.skip)('alerts per symbol-day, each with evidence, reproducible', async () => {
    data.assertAvailable();
    const first = await run();
    expect(first.trades.size).toBeGreaterThan(10_000);
    const open = new Set<string>();
    for (const a of first.alerts) {
      const ev = a.data.evidence as { trades: Array<{ position: number; tradeId: string }> };
      expect(ev.trades.length).toBeGreaterThan(0);
      for (const t of ev.trades) expect(first.trades.get(t.position)).toBe(t.tradeId);
      if (a.type === 'AlertRaised') open.add(a.data.alertId);
      else expect(open.has(a.data.alertId)).toBe(true);
    }
    const second = await run();
    expect(second.alerts.map((a) => `${a.type} ${a.data.alertId}`)).toEqual(first.alerts.map((a) => `${a.type} ${a.data.alertId}`));

    const detectors = DEFAULT_ALERT_RULES.map((r) => r.detector);
    const rows = new Map<string, Record<string, number>>();
    for (const k of first.tradeCount.keys()) rows.set(k, Object.fromEntries(detectors.map((d) => [d, 0])));
    for (const a of first.alerts) {
      if (a.type !== 'AlertRaised') continue;
      const row = rows.get(`${a.data.symbol} ${utcDay(a.data.eventTime)}`);
      if (row !== undefined) row[a.data.detector] = (row[a.data.detector] ?? 0) + 1;
    }
    const lines = [`| symbol | day | trades | ${detectors.join(' | ')} |`, `|---|---|---:|${detectors.map(() => '---:').join('|')}|`];
    for (const [k, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
      const [symbol, day] = k.split(' ');
      lines.push(`| ${symbol} | ${day} | ${first.tradeCount.get(k)} | ${detectors.map((d) => row[d]).join(' | ')} |`);
    }
    console.log(`alerts per symbol-day (default rules):\n${lines.join('\n')}`);
  }, 300_000);
});

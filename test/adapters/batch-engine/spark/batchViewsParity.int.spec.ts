/**
 * Parity of the two batch engines: the same ledger through the TS batch projector (with a
 * correction recompute) and through Spark (export → lake → batch_views, on the standalone
 * cluster: a master and two workers) gives the same candles. Prices, times and trade counts
 * exactly; volumes and taker buy/sell volumes exactly (as decimals); quote volume within 1e-9 relative (Spark sums it as
 * a double: no Spark decimal holds the 36 fractional digits the TS fold keeps).
 *
 * The same lake through the HBase REST sink (foreachPartition, tables of a unique prefix) reads
 * back through the TS HBase BatchStore as the same candles, and the `views` meta as written.
 *
 * Through the engines' own recompute (BatchEngine port, cluster profile, HBase store), both keep
 * serving every minute of two past days that cross midnight, the last minute holding only a few
 * seconds of trades, once the speed layer has moved on from those days: the batch view must.
 *
 * Data: a simulator fixture (3 symbols × 2 exchanges, across a midnight) and a real recording of
 * Binance BTCUSDT trades across another midnight (../shared/data). Without the recording here
 * (and not under CI=true, where its absence fails the test) the comparison runs on the fixture
 * alone, its title says so, and the real-day half is reported as skipped with the reason.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportLedgerJsonLines } from '../../../../src/adapters/lake/ledgerJsonLines.js';
import { runSparkJob, type SparkEndpoint } from '../../../../src/adapters/batch-engine/spark/sparkSubmit.js';
import { openHBaseBatchStore } from '../../../../src/adapters/batch-store/hbase/hbaseBatchStore.js';
import { createReplaySource } from '../../../../src/adapters/sources/replay/replaySource.js';
import { createSimulatorSource } from '../../../../src/adapters/sources/simulator/simulatorSource.js';
import { QUOTE_SCALE, fixedToNumber, parseFixed } from '../../../../src/domain/decimal.js';
import type { Candle } from '../../../../src/domain/folds/candle.js';
import { slotCandle } from '../../../../src/domain/folds/minuteSlot.js';
import { utcDay } from '../../../../src/domain/time.js';
import { clusterStack } from '../../../support/clusterProfile.js';
import { openTestPlatform, origin, trade } from '../../../support/platform.js';
import { uniqueName } from '../../../contracts/polling.js';
import { repoRoot, requireSharedData } from '../../../support/sharedData.js';
import { sparkEngineStack } from '../../../support/sparkEngineStack.js';
import { dropHBaseTables } from '../../../support/hbaseTables.js';
import { requireStack } from '../../../support/stack.js';

const spark = requireStack('spark');
const hbase = requireStack('hbase');
const WS = ['binance-spot-ws-2024-08-08/btcusdt_20240808.gz', 'binance-spot-ws-2024-08-08/btcusdt_20240809.gz'];
const realDay = requireSharedData(...WS);
const FAR = Date.UTC(2100, 0, 1);

interface SparkCandle {
  exchange: string;
  symbol: string;
  interval: string;
  bucket_start: number;
  open_time: number;
  open: number;
  high: number;
  low: number;
  close_time: number;
  close: number;
  volume: string;
  taker_buy_volume: string;
  taker_sell_volume: string;
  quote_volume: number;
  trades: number;
}

const readJsonLines = <T>(dir: string): T[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l !== ''))
    .map((l) => JSON.parse(l) as T);

/**
 * A decimal as Spark writes it as text: Java's BigDecimal form, which is scientific for a small
 * value (zero at scale 18 is `0E-18`), as exact fixed point.
 */
const sparkDecimal = (text: string): bigint | undefined => {
  const m = /^(-?)(\d+)(?:\.(\d+))?E([+-]?\d+)$/.exec(text);
  if (m === null) return parseFixed(text);
  const [, sign, whole, fraction = '', exponent] = m;
  const digits = BigInt(`${whole}${fraction}`);
  const shift = 18 + Number(exponent) - fraction.length;
  const v = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return sign === '-' ? -v : v;
};

const key = (exchange: string, symbol: string, interval: string, bucket: number) => `${exchange}|${symbol}|${interval}|${bucket}`;

describe.skipIf(spark.skip || hbase.skip)('Spark batch_views against the TS batch projector', () => {
  if (realDay.skip) it.skip(`and for a real day of Binance trades: ${realDay.missing}`, () => undefined);

  it(`give the same candles for a simulator fixture${realDay.skip ? '' : ' and a real day'}, corrections applied, in files and through HBase`, async () => {
    // This checkout's jobs, not those of the checkout the stack's venv was installed from.
    const endpoint = { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') };
    const work = mkdtempSync(path.join(os.tmpdir(), 'tv-parity-'));
    const { platform, cleanup } = await openTestPlatform();
    try {
      const never = new AbortController().signal;
      const start = Date.UTC(2024, 0, 1) - 3_600_000; // 12,000 trades at 2/s: 1 h 40 min, across midnight
      await platform.ingest(createSimulatorSource({ seed: 11, symbols: 3, exchanges: ['binance', 'coinbase'], tradesPerSecond: 2, startTime: start, maxTrades: 12_000 }), never);
      if (!realDay.skip) {
        realDay.assertAvailable();
        await platform.ingest(createReplaySource({ files: WS.map((f) => realDay.path(f)), speed: 0 }), never);
      }
      await platform.batchProjector.runOnce();

      // Two corrections: a void, and a replacement that moves a trade three hours later.
      const trades = (await platform.ledger.read(0, 500)).filter((e) => e.type === 'TradeObserved').map((e) => e.data as { exchange: string; symbol: string; tradeId: string; eventTime: number });
      const [voided, moved] = [trades[10]!, trades[20]!];
      const target = (t: typeof voided) => ({ exchange: t.exchange, symbol: t.symbol, tradeId: t.tradeId });
      await platform.commands.issueCorrection({ correctionId: 'p-void', action: 'void', target: target(voided), reason: 'busted' }, origin);
      await platform.commands.issueCorrection(
        { correctionId: 'p-move', action: 'replace', target: target(moved), reason: 'wrong time', replacement: { price: '12345.678', quantity: '0.125', side: 'sell', eventTime: moved.eventTime + 3 * 3_600_000 } },
        origin,
      );
      await platform.jobs.drain('recompute');
      await platform.batchProjector.runOnce();

      const expected = new Map<string, Candle>();
      let first = FAR;
      let last = 0;
      for (const symbol of await platform.queries.symbols()) {
        for (const r of await platform.batch.minutes(symbol, 0, FAR)) {
          const c = slotCandle(r.slot);
          if (c === undefined) continue;
          expected.set(key(r.exchange, symbol, '1m', r.minute), c);
          first = Math.min(first, r.minute);
          last = Math.max(last, r.minute);
        }
        for (const interval of ['1h', '1d'] as const) {
          for (const r of await platform.batch.candles(symbol, interval, 0, FAR)) expected.set(key(r.exchange, symbol, interval, r.candle.bucketStart), r.candle);
        }
      }
      expect(expected.size).toBeGreaterThan(500);

      const events = path.join(work, 'events.jsonl');
      await exportLedgerJsonLines(platform.ledger, events);
      const lake = path.join(work, 'lake');
      const out = path.join(work, 'views');
      const run = { timeoutMs: 8 * 60_000, conf: { 'spark.executor.memory': '768m', 'spark.sql.shuffle.partitions': '4' } };
      // One application exports the events to the lake and computes the candles from it (one JVM start
      // fewer); only the candles are compared, so only they are written (the other views have tests of their own).
      await runSparkJob(endpoint, 'batch_views', ['--events', events, '--lake', lake, '--out', out, '--format', 'json', '--views', 'ohlcv', '--from', utcDay(first), '--to', utcDay(last)], run);

      const got = new Map(readJsonLines<SparkCandle>(path.join(out, 'ohlcv')).map((c) => [key(c.exchange, c.symbol, c.interval, c.bucket_start), c]));
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, e] of expected) {
        const s = got.get(k)!;
        expect([s.open_time, s.open, s.high, s.low, s.close_time, s.close, s.trades], k).toEqual([e.openTime, e.open, e.high, e.low, e.closeTime, e.close, e.trades]);
        expect([s.volume, s.taker_buy_volume, s.taker_sell_volume].map(sparkDecimal), k).toEqual([e.volume, e.takerBuyVolume, e.takerSellVolume]);
        const q = fixedToNumber(e.quoteVolume, QUOTE_SCALE);
        expect(Math.abs(s.quote_volume - q), k).toBeLessThanOrEqual(1e-9 * Math.abs(q));
      }
      // Through the HBase sink: what the TS HBase BatchStore reads back is the TS projector's candles.
      const hbaseUrl = hbase.endpoint().url;
      const prefix = `${uniqueName('parity').replace(/-/g, '_')}_`;
      const store = await openHBaseBatchStore({ url: hbaseUrl, tablePrefix: prefix });
      try {
        const through = (await platform.ledger.head()).position;
        await runSparkJob(endpoint, 'batch_views', ['--lake', lake, '--views', 'ohlcv', '--hbase-rest', hbaseUrl, '--hbase-table-prefix', prefix, '--from', utcDay(first), '--to', utcDay(last), '--view-version', '7', '--through-position', String(through)], run);
        const read = new Map<string, Candle>();
        const lastMinute = new Map<string, number>();
        for (const symbol of await platform.queries.symbols()) {
          for (const r of await store.minutes(symbol, 0, FAR)) {
            read.set(key(r.exchange, symbol, '1m', r.minute), slotCandle(r.slot)!);
            lastMinute.set(symbol, Math.max(lastMinute.get(symbol) ?? 0, r.minute));
          }
          for (const interval of ['1h', '1d'] as const) {
            for (const r of await store.candles(symbol, interval, 0, FAR)) read.set(key(r.exchange, symbol, interval, r.candle.bucketStart), r.candle);
          }
        }
        expect([...read.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [k, e] of expected) {
          const h = read.get(k)!;
          expect({ ...h, quoteVolume: 0n }, k).toEqual({ ...e, quoteVolume: 0n });
          const q = fixedToNumber(e.quoteVolume, QUOTE_SCALE);
          expect(Math.abs(fixedToNumber(h.quoteVolume, QUOTE_SCALE) - q), k).toBeLessThanOrEqual(1e-9 * Math.abs(q));
        }
        expect(await store.allMeta('ohlcv')).toEqual([...lastMinute].sort(([a], [b]) => (a < b ? -1 : 1)).map(([symbol, m]) => ({ view: 'ohlcv', symbol, version: 7, computedThrough: m + 60_000, throughPosition: through })));
      } finally {
        await store.close();
        await dropHBaseTables(hbaseUrl, store.tables);
      }

      // The replaced trade's new hour holds its replacement price.
      const movedHour = got.get(key(moved.exchange, moved.symbol, '1h', moved.eventTime + 3 * 3_600_000 - ((moved.eventTime + 3 * 3_600_000) % 3_600_000)));
      expect(movedHour!.low).toBeLessThanOrEqual(12345.678);
      expect(movedHour!.high).toBeGreaterThanOrEqual(12345.678);
    } finally {
      await cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  }, 20 * 60_000);

  describe.skipIf(clusterStack.skip || sparkEngineStack.skip)('after a recompute of past days that cross midnight', () => {
    const D2 = Date.UTC(2024, 2, 11);
    const range = { symbol: 'BTC-USDT', interval: '1m' as const, from: D2 - 15 * 60_000, to: D2 + 6 * 60_000 };

    it.each(['ts', 'spark'] as const)('%s serves every minute from the batch view, the last one (a few seconds of trades) too', async (engine) => {
      // This checkout's jobs, and a lake of the test's own on HDFS for the Spark engine's staging.
      const rig = sparkEngineStack.rig();
      const { platform, cleanup } = await openTestPlatform({ ...clusterStack.config(), ...rig.config, batchEngine: engine });
      try {
        const items = [];
        for (let t = range.from; t <= D2 + 5 * 60_000; t += 20_000) items.push(trade(String(t), '100', t + 1_000));
        items.push(trade('last', '101', D2 + 5 * 60_000 + 3_000));
        await platform.commands.recordObservations({ origin, items });
        // A trade hours later: the speed layer moves on from those days, the batch view past them.
        const { lastPosition } = await platform.commands.recordObservations({ origin, items: [trade('later', '102', D2 + 3 * 3_600_000)] });
        await platform.batchProjector.runOnce();
        await platform.liveProjection.waitFor(lastPosition);
        const before = await platform.queries.ohlcv(range);
        expect(before.candles.map((c) => c.time)).toEqual(Array.from({ length: 21 }, (_, i) => range.from + i * 60_000));
        expect(before.gaps).toEqual([]);

        await platform.commands.requestRecompute({ symbol: 'BTC-USDT', fromDay: '2024-03-10', toDay: '2024-03-11', reason: 'parity' }, origin);
        await platform.jobs.drain('recompute');
        expect(await platform.jobs.failed('recompute')).toEqual([]);
        const after = await platform.queries.ohlcv(range);
        expect(after.batch).toEqual({ version: 2, computedThrough: before.batch!.computedThrough });
        expect(after.gaps).toEqual([]);
        expect(after.sources.map((s) => s.layer)).toEqual(['batch']);
        expect(after.candles).toEqual(before.candles);
      } finally {
        await cleanup();
        await rig.cleanup();
      }
    }, 15 * 60_000);
  });
});

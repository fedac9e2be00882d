/**
 * Parity of the feature store on the two engines: the same ledger (three symbols with BTC-USDT,
 * 40 days of hourly trades with both taker sides and a few silent hours, market-cap snapshots,
 * sentiment readings, a voided trade) gives exactly the same feature rows, every figure to the
 * bit, from the embedded read side (TS batch projector, queries.features) and from Spark's
 * `features` view (export → lake → batch_views on the standalone cluster). Exact equality holds
 * because both fold each window's values in time order with the same operations (docs/features.md).
 * The same holds for the time-series views beside them: the returns' autocorrelation per symbol and
 * interval, and the weekday × hour profile (Spark's `autocorrelation` and `seasonality` views).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportLedgerJsonLines } from '../../../../src/adapters/lake/ledgerJsonLines.js';
import { runSparkJob, type SparkEndpoint } from '../../../../src/adapters/batch-engine/spark/sparkSubmit.js';
import { FEATURE_COLUMNS, type FeatureRow } from '../../../../src/domain/features/featureRow.js';
import { FEATURE_INTERVALS } from '../../../../src/domain/features/definitions.js';
import { utcDay } from '../../../../src/domain/time.js';
import { queryAutocorrelation, querySeasonality } from '../../../../src/read-models/featureProfiles.js';
import { openTestPlatform, origin, trade } from '../../../support/platform.js';
import { repoRoot } from '../../../support/sharedData.js';
import { requireStack } from '../../../support/stack.js';

const spark = requireStack('spark');
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);
const DAYS = 40;
const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT'];

/** A small seeded generator (mulberry32): the same ledger on every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The Spark view's column of a feature: snake_case, digits set apart (`logReturn1Lag2` → `log_return_1_lag_2`). */
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/(\d+)/g, '_$1');
const SPARK_COLUMN: Record<string, string> = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, c === 'time' ? 'bucket_start' : snake(c)]));

const readJsonLines = (dir: string): Array<Record<string, unknown>> =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l !== ''))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(spark.skip)('the feature store on both engines', () => {
  it('gives exactly the same rows for every symbol, 1h and 1d bar, from the TS read side and Spark', async () => {
    const endpoint = { ...(spark.endpoint() as unknown as SparkEndpoint), jobs: path.join(repoRoot, 'spark-jobs') };
    const work = mkdtempSync(path.join(os.tmpdir(), 'tv-features-parity-'));
    const { platform, cleanup } = await openTestPlatform();
    try {
      const rnd = random(18);
      const items = [];
      for (const [s, symbol] of SYMBOLS.entries()) {
        let price = [60_000, 3_000, 150][s]!;
        for (let h = 0; h < DAYS * 24; h++) {
          if (rnd() < 0.03) continue; // a silent hour: no candle, so the windows across it are null
          for (let k = 0; k < 3; k++) {
            price *= 1 + (rnd() - 0.5) * 0.01;
            const quantity = (rnd() * 5).toFixed(6);
            items.push(trade(`${symbol}-${h}-${k}`, price.toFixed(2), T0 + h * HOUR + Math.floor(rnd() * HOUR), { symbol, quantity: quantity === '0.000000' ? '0.000001' : quantity, side: rnd() < 0.5 ? 'buy' : 'sell' }));
          }
        }
      }
      for (let d = 0; d < DAYS; d += 3) {
        items.push({ kind: 'snapshot' as const, data: { provider: 'coingecko', assetId: 'ethereum', symbol: 'ETH-USDT', priceUsd: '3000', marketCapUsd: String(360e9 + d * 1e9), volume24hUsd: '1', rank: 2 + (d % 2), eventTime: T0 + d * 86_400_000 + 5 * HOUR } });
        items.push({ kind: 'sentiment' as const, data: { provider: 'news', symbol: 'ETH-USDT', minute: T0 + d * 86_400_000 + 7 * HOUR, score: Math.round((rnd() * 2 - 1) * 1e6) / 1e6, posts: 4 } });
      }
      await platform.commands.recordObservations({ origin, items });
      await platform.batchProjector.runOnce();
      await platform.commands.issueCorrection({ correctionId: 'fp-void', action: 'void', target: { exchange: 'binance', symbol: 'ETH-USDT', tradeId: 'ETH-USDT-200-1' }, reason: 'busted' }, origin);
      await platform.jobs.drain('recompute');
      await platform.batchProjector.runOnce();

      const events = path.join(work, 'events.jsonl');
      await exportLedgerJsonLines(platform.ledger, events);
      const lake = path.join(work, 'lake');
      const out = path.join(work, 'views');
      const run = { timeoutMs: 15 * 60_000, conf: { 'spark.executor.memory': '768m', 'spark.sql.shuffle.partitions': '4' } };
      await runSparkJob(endpoint, 'export', ['--input', events, '--lake', lake], run);
      await runSparkJob(endpoint, 'batch_views', ['--lake', lake, '--out', out, '--format', 'json', '--from', utcDay(T0), '--to', utcDay(T0 + (DAYS - 1) * 86_400_000), '--views', 'features,autocorrelation,seasonality'], run);

      const sparkRows = new Map<string, Record<string, unknown>>();
      for (const r of readJsonLines(path.join(out, 'features'))) sparkRows.set(`${String(r['symbol'])}|${String(r['interval'])}|${String(r['bucket_start'])}`, r);
      let compared = 0;
      let withMacdSignal = 0;
      for (const symbol of SYMBOLS) {
        for (const interval of FEATURE_INTERVALS) {
          const answer = await platform.queries.features({ symbol, interval, from: T0, to: T0 + DAYS * 86_400_000 });
          expect(answer.rows.length).toBeGreaterThan(interval === '1h' ? 900 : 39);
          for (const row of answer.rows) {
            const s = sparkRows.get(`${symbol}|${interval}|${row.time}`);
            expect(s, `${symbol} ${interval} ${row.time}`).toBeDefined();
            const fromSpark = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, s![SPARK_COLUMN[c]!] ?? null])) as unknown as FeatureRow;
            expect(fromSpark, `${symbol} ${interval} ${new Date(row.time).toISOString()}`).toEqual(row);
            expect(s!['definition_version']).toBe(answer.definitionVersion);
            compared++;
            if (row.macdSignal !== null) withMacdSignal++;
          }
          expect([...sparkRows.keys()].filter((k) => k.startsWith(`${symbol}|${interval}|`)).length).toBe(answer.rows.length);
        }
      }
      expect(compared).toBeGreaterThan(2_800);
      expect(withMacdSignal).toBeGreaterThan(2_500);

      const sparkAcf = readJsonLines(path.join(out, 'autocorrelation'));
      const sparkCells = readJsonLines(path.join(out, 'seasonality'));
      const range = { from: T0, to: T0 + DAYS * 86_400_000 };
      for (const symbol of SYMBOLS) {
        for (const interval of FEATURE_INTERVALS) {
          const embedded = await queryAutocorrelation(platform.queries.features, { symbol, interval, ...range });
          const fromSpark = sparkAcf.filter((r) => r['symbol'] === symbol && r['interval'] === interval).sort((a, b) => Number(a['lag']) - Number(b['lag']));
          expect(fromSpark.map((r) => ({ lag: r['lag'], value: r['value'] ?? null })), `${symbol} ${interval} autocorrelation`).toEqual(embedded.acf);
          expect(fromSpark.every((r) => r['observations'] === embedded.observations)).toBe(true);
          expect(embedded.acf.filter((p) => p.value !== null).length).toBeGreaterThan(interval === '1h' ? 29 : 20);
        }
        const embedded = await querySeasonality(platform.queries.features, { symbol, ...range });
        const fromSpark = sparkCells
          .filter((r) => r['symbol'] === symbol)
          .map((r) => ({ dayOfWeek: r['day_of_week'], hour: r['hour'], meanLogReturn: r['mean_log_return'] ?? null, count: r['count'] }))
          .sort((a, b) => Number(a.dayOfWeek) * 24 + Number(a.hour) - (Number(b.dayOfWeek) * 24 + Number(b.hour)));
        expect(fromSpark, `${symbol} seasonality`).toEqual(embedded.cells);
        expect(embedded.cells.filter((c) => c.count > 0).length).toBe(168);
      }
    } finally {
      await cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  }, 35 * 60_000);
});

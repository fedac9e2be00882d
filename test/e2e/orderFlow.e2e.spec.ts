/**
 * GET /api/v1/orderflow/{symbol} on the embedded platform: trades recorded through the ledger and
 * book items ingested through the archive give per-minute taker volumes, delta and CVD (exact
 * decimals) and the time-weighted touch imbalance of the minutes the book was observed in (null
 * elsewhere, and for an exchange with no book); a bad range is a 400 saying what to fix. Every
 * answer is checked against the route's response schema (TICKVAULT_CHECK_RESPONSES).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import type { Platform } from '../../src/app/platform.js';
import type { BookItem, MarketSource } from '../../src/domain/ports.js';
import { busyBookItems } from '../support/bookSignalRows.js';
import { openTestPlatform, origin, trade } from '../support/platform.js';

const MIN = 60_000;

const bookSource = (items: BookItem[]): MarketSource => ({
  name: 'test-books',
  async run(emit) {
    await emit({ source: 'test-books', items });
  },
  progress: () => ({ done: 0, total: undefined }),
});

const book = (kind: 'bookSnapshot' | 'bookUpdate', eventTime: number, bids: Array<[string, string]>, asks: Array<[string, string]>): BookItem =>
  ({ kind, data: { exchange: 'kraken', symbol: 'BTC-USDT', bids, asks, eventTime } }) as BookItem;

describe('order flow over HTTP (embedded platform)', () => {
  let platform: Platform;
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  const now = Date.now();
  // Ten minutes into the hour before last: the three minutes used are in one hour bar, whenever the test runs.
  const t0 = now - (now % (60 * MIN)) - 60 * MIN + 10 * MIN;

  beforeAll(async () => {
    ({ platform, cleanup } = await openTestPlatform());
    app = await buildServer(platform, { logger: false });
    const r = await platform.commands.recordObservations({
      origin,
      items: [
        trade('1', '100', t0 + 1_000, { quantity: '0.3', side: 'buy' }),
        trade('2', '101', t0 + 2_000, { quantity: '0.1', side: 'sell' }),
        trade('3', '99', t0 + MIN + 5_000, { quantity: '1.25', side: 'sell' }),
        trade('4', '98', t0 + 2 * MIN + 5_000, { quantity: '0.000000000000000001', side: 'buy' }),
      ],
    });
    await platform.liveProjection.waitFor(r.lastPosition);
    // Minute t0: 3 bid vs 1 ask (0.5) from +10 s, then 1 vs 1 (0) from +40 s: (0.5 × 30 + 0 × 20) / 50 = 0.3.
    // Minute t0+1m: unobserved. Minute t0+2m: 1 vs 3 (−0.5) from +30 s to its end.
    await platform.ingest(
      bookSource([
        book('bookSnapshot', t0 + 10_000, [['99', '3']], [['101', '1']]),
        book('bookUpdate', t0 + 40_000, [['99', '1']], []),
        book('bookUpdate', t0 + 2 * MIN + 30_000, [], [['101', '3']]),
      ]),
      new AbortController().signal,
    );
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  const get = (query: string) => app.inject({ url: `/api/v1/orderflow/BTC-USDT?${query}` });
  const range = `from=${new Date(t0).toISOString()}&to=${new Date(t0 + 3 * MIN).toISOString()}`;

  it('answers taker volumes, delta and CVD exactly, and the time-weighted book imbalance per minute (null where unobserved)', async () => {
    const res = await get(`interval=1m&${range}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ symbol: 'BTC-USDT', interval: '1m', exchange: null, from: t0, to: t0 + 3 * MIN, degraded: false });
    const bars = body.bars as Array<Record<string, unknown>>;
    expect(bars.map(({ imbalance: _i, ...rest }) => rest)).toEqual([
      { time: t0, volume: '0.4', takerBuyVolume: '0.3', takerSellVolume: '0.1', delta: '0.2', cvd: '0.2' },
      { time: t0 + MIN, volume: '1.25', takerBuyVolume: '0', takerSellVolume: '1.25', delta: '-1.25', cvd: '-1.05' },
      { time: t0 + 2 * MIN, volume: '0.000000000000000001', takerBuyVolume: '0.000000000000000001', takerSellVolume: '0', delta: '0.000000000000000001', cvd: '-1.049999999999999999' },
    ]);
    expect(bars[0]!.imbalance).toBeCloseTo(0.3, 12);
    expect(bars[1]!.imbalance).toBeNull();
    expect(bars[2]!.imbalance).toBeCloseTo(-0.5, 12);
  });

  it('rolls minutes up to the hour, and gives null imbalance for an exchange whose book it never saw', async () => {
    const hour = await get(`interval=1h&${range}`);
    expect(hour.statusCode).toBe(200);
    const [bar] = hour.json().bars as Array<{ cvd: string; imbalance: number }>;
    expect(bar!.cvd).toBe('-1.049999999999999999');
    // Observed 50 s of minute t0 and 30 s of minute t0+2m: (0.5 × 30 + 0 × 20 − 0.5 × 30) / 80 = 0.
    expect(bar!.imbalance).toBeCloseTo(0, 12);
    const binance = await get(`interval=1m&exchange=binance&${range}`);
    expect(binance.statusCode).toBe(200);
    expect((binance.json().bars as Array<{ imbalance: unknown }>).map((b) => b.imbalance)).toEqual([null, null, null]);
  });

  it('refuses a bad range with a 400 that says what to fix, and an unknown symbol with a 404', async () => {
    const interval = await get('interval=2m');
    expect(interval.statusCode).toBe(400);
    expect(interval.json().message).toContain('interval: expected one of 1m, 5m, 1h, 1d');
    const backwards = await get(`from=${new Date(t0 + MIN).toISOString()}&to=${new Date(t0).toISOString()}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toMatch(/must be before to/);
    expect((await get('exchange=NOT%20ONE')).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/orderflow/NOPE-USDT' })).statusCode).toBe(404);
  });
});

describe('order-flow book imbalance from the lake', () => {
  it('gives a bar the live minutes no longer hold the imbalance the live path gave it, and null where no book was', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tv-orderflow-lake-'));
    const settings = { bookIntervalMs: 10_000, bookGraceMs: 0, bookSnapshotMs: 5_000 };
    const now = Date.now();
    const t0 = now - (now % MIN) - 60 * MIN;
    const range = `interval=1m&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 6 * MIN).toISOString()}`;
    const imbalances = async (platform: Platform): Promise<Array<number | null>> => {
      const app = await buildServer(platform, { logger: false });
      try {
        const res = await app.inject({ url: `/api/v1/orderflow/BTC-USDT?${range}` });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().bars as Array<{ imbalance: number | null }>).map((b) => b.imbalance);
      } finally {
        await app.close();
      }
    };
    try {
      // Live: three exchanges' books from t0 + 5 s for 3 min, one trade a minute for 6 min; every interval closed into the lake.
      let { platform } = await openTestPlatform(settings, dataDir);
      let live: Array<number | null>;
      let wholeFrom: number;
      try {
        const r = await platform.commands.recordObservations({ origin, items: Array.from({ length: 6 }, (_, i) => trade(`t${i}`, '100', t0 + i * MIN + 30_000)) });
        await platform.liveProjection.waitFor(r.lastPosition);
        await platform.ingest(bookSource(busyBookItems(t0 + 5_000, 3 * MIN)), new AbortController().signal);
        await platform.orderBooks.flush();
        expect([...platform.orderBooks.archive.books()].every((b) => b.open.size === 0)).toBe(true);
        live = await imbalances(platform);
        // The live minutes are whole from the minute after their first observation's: that and earlier come from the lake already.
        wholeFrom = t0 + MIN;
        expect(live.slice(0, 4).every((x) => typeof x === 'number')).toBe(true);
        expect(live.slice(4)).toEqual([null, null]);
      } finally {
        await platform.close();
      }
      // A process that saw none of it live (its journal empty): every bar from the lake, as the live path gave it.
      ({ platform } = await openTestPlatform(settings, dataDir));
      try {
        await platform.liveProjection.waitFor((await platform.ledger.head()).position);
        expect([...platform.orderBooks.archive.books()]).toEqual([]);
        const lake = await imbalances(platform);
        expect(lake.map((x) => x === null)).toEqual(live.map((x) => x === null));
        lake.forEach((x, i) => {
          if (x !== null) expect(x, `bar ${i}`).toBeCloseTo(live[i]!, 12);
        });
        // Bars the live path answered from its own minutes (not the lake's) are among those compared.
        expect(live.filter((_, i) => t0 + i * MIN >= wholeFrom && live[i] !== null).length).toBeGreaterThanOrEqual(2);
      } finally {
        await platform.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

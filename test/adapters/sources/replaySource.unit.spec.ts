/**
 * The replay source on fixture files written to a temp folder: headerless and header CSVs,
 * gzip, zip, websocket recordings, broken content (rejected with file and line, never thrown),
 * progress, batching, pacing and abort.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createImportCheckpoints } from '../../../src/adapters/sources/replay/importCheckpoints.js';
import type { ReplayOptions } from '../../../src/adapters/sources/replay/replayOptions.js';
import { createReplaySource } from '../../../src/adapters/sources/replay/replaySource.js';
import { isInvalidInputError } from '../../../src/domain/errors.js';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import type { CandleData, TradeData } from '../../../src/domain/events/market.js';
import type { SourceBatch, SourceItem } from '../../../src/domain/ports.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tickvault-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer): string => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

const replay = async (options: ReplayOptions): Promise<{ batches: SourceBatch[]; items: SourceItem[]; source: ReturnType<typeof createReplaySource> }> => {
  const source = createReplaySource(options);
  const batches: SourceBatch[] = [];
  await source.run(async (b) => {
    batches.push(b);
  }, new AbortController().signal);
  return { batches, items: batches.flatMap((b) => b.items), source };
};

const trades = (items: readonly SourceItem[]): TradeData[] => items.filter((i) => i.kind === 'trade').map((i) => i.data as TradeData);
const candles = (items: readonly SourceItem[]): CandleData[] => items.filter((i) => i.kind === 'candle').map((i) => i.data as CandleData);
const rejected = (items: readonly SourceItem[]) => items.flatMap((i) => (i.kind === 'rejected' ? [i] : []));

/** A minimal zip writer (stored or deflated entries), so the test needs no archive tool. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer): number => {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const makeZip = (entries: ReadonlyArray<{ name: string; text: string; method: 0 | 8 }>): Buffer => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.from(e.text);
    const body = e.method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
};

const T = Date.UTC(2024, 0, 1);
const klineRow = (openMs: number, close: string, unit: 'ms' | 'us' = 'ms'): string => {
  const f = (ms: number) => (unit === 'us' ? String(ms * 1000) : String(ms));
  return [f(openMs), '100.5', '101.0', '99.9', close, '12.5', f(openMs + 59_999), '1256.25', '42', '6.1', '613.2', '0'].join(',');
};
const wsTrade = (t: number, price: string, m: boolean, time: number): string =>
  `${time * 1_000_000 + 123} {"stream":"btcusdt@trade","data":{"e":"trade","E":${time + 1},"s":"BTCUSDT","t":${t},"p":"${price}","q":"0.01000000","T":${time},"m":${m},"M":true}}`;

describe('replay: CSV dumps', () => {
  it('a header-less spot trades CSV: trades as written, the taker side from is_buyer_maker, a bad row rejected with file and line', async () => {
    const file = write(
      'BTCUSDT-trades-2024-01-01.csv',
      [
        `1001,42000.10,0.5,21000.05,${T},true,true`,
        `1002,42000.20,0.25,10500.05,${T + 5},false,true`,
        `1003,oops,0.25,10500.05,${T + 6},false,true`,
        `1004,42000.00000000,1.00000000,42000,${T + 7},False,True`,
        '',
      ].join('\r\n'),
    );
    const { batches, items, source } = await replay({ files: [file] });
    expect(batches.every((b) => b.source === 'replay:BTCUSDT-trades-2024-01-01.csv')).toBe(true);
    expect(trades(items)).toEqual([
      { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1001', price: '42000.10', quantity: '0.5', side: 'sell', eventTime: T },
      { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1002', price: '42000.20', quantity: '0.25', side: 'buy', eventTime: T + 5 },
      { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1004', price: '42000.00000000', quantity: '1.00000000', side: 'buy', eventTime: T + 7 },
    ]);
    const [bad] = rejected(items);
    expect(bad).toEqual({ kind: 'rejected', reason: expect.stringMatching(/^BTCUSDT-trades-2024-01-01\.csv:3: price must be a decimal number/), raw: `1003,oops,0.25,10500.05,${T + 6},false,true` });
    expect(source.stats()).toMatchObject({ trades: 3, rejected: 1, skipped: 0 });
    for (const t of trades(items)) expect(validateEventData('TradeObserved', t).ok).toBe(true);
  });

  it('an aggTrades CSV with a header (futures layout): ids prefixed `a`, exchange binance-futures unless overridden', async () => {
    const file = write(
      'ETHUSDT-aggTrades-2024-01.csv',
      ['agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker', `77,2300.5,1.2,100,104,${T},true`, `78,2300.6,0.3,105,105,${T + 1},false`].join('\n'),
    );
    const { items } = await replay({ files: [file] });
    expect(trades(items)).toEqual([
      { exchange: 'binance-futures', symbol: 'ETH-USDT', tradeId: 'a77', price: '2300.5', quantity: '1.2', side: 'sell', eventTime: T },
      { exchange: 'binance-futures', symbol: 'ETH-USDT', tradeId: 'a78', price: '2300.6', quantity: '0.3', side: 'buy', eventTime: T + 1 },
    ]);
    const overridden = await replay({ files: [file], exchange: 'binance' });
    expect(trades(overridden.items).map((t) => t.exchange)).toEqual(['binance', 'binance']);
  });

  it('a gzipped spot kline CSV with µs timestamps (2025+ dumps): open times in ms, interval from the name', async () => {
    const t = Date.UTC(2025, 0, 1);
    const file = write('SOLUSDT-1m-2025-01-01.csv.gz', gzipSync([klineRow(t, '100.7', 'us'), klineRow(t + 60_000, '100.8', 'us')].join('\n') + '\n'));
    const { items } = await replay({ files: [file] });
    expect(candles(items)).toEqual([
      { exchange: 'binance', symbol: 'SOL-USDT', interval: '1m', openTime: t, open: '100.5', high: '101.0', low: '99.9', close: '100.7', volume: '12.5', quoteVolume: '1256.25', trades: 42 },
      { exchange: 'binance', symbol: 'SOL-USDT', interval: '1m', openTime: t + 60_000, open: '100.5', high: '101.0', low: '99.9', close: '100.8', volume: '12.5', quoteVolume: '1256.25', trades: 42 },
    ]);
    for (const c of candles(items)) expect(validateEventData('CandleObserved', c).ok).toBe(true);
  });

  it('a zip download (deflated and stored entries) replays every entry, named archive/entry', async () => {
    const file = write(
      'BTCUSDT-1m-2024-01.zip',
      makeZip([
        { name: 'BTCUSDT-1m-2024-01-01.csv', text: `${klineRow(T, '100.6')}\n${klineRow(T + 60_000, '100.7')}\n`, method: 8 },
        { name: 'BTCUSDT-1m-2024-01-02.csv', text: `${klineRow(T + 86_400_000, '100.8')}\nnot,a,row\n`, method: 0 },
      ]),
    );
    const { items, batches, source } = await replay({ files: [file] });
    expect(candles(items).map((c) => [c.symbol, c.openTime, c.close])).toEqual([
      ['BTC-USDT', T, '100.6'],
      ['BTC-USDT', T + 60_000, '100.7'],
      ['BTC-USDT', T + 86_400_000, '100.8'],
    ]);
    expect(rejected(items).map((r) => r.reason)).toEqual([expect.stringMatching(/^BTCUSDT-1m-2024-01\.zip\/BTCUSDT-1m-2024-01-02\.csv:2: expected 12 kline columns, got 3/)]);
    expect(new Set(batches.map((b) => b.source))).toEqual(new Set(['replay:BTCUSDT-1m-2024-01.zip']));
    expect(source.progress()).toEqual({ done: statSync(file).size, total: statSync(file).size });
  });

  it('the symbol option names the market of a file whose name does not', async () => {
    const file = write('export.csv', `${klineRow(T, '1.5')}\n`);
    const without = await replay({ files: [file] });
    expect(rejected(without.items)).toEqual([{ kind: 'rejected', reason: expect.stringMatching(/cannot tell the symbol of export\.csv/), raw: 'export.csv' }]);
    const withSymbol = await replay({ files: [file], symbol: 'ETHBTC' });
    expect(candles(withSymbol.items)).toEqual([expect.objectContaining({ symbol: 'ETH-BTC', interval: '1m' })]);
  });
});

describe('replay: websocket recordings', () => {
  it('a gzipped recording: @trade messages become trades, other streams are skipped, broken lines rejected', async () => {
    const lines = [
      '1723161254206652067 {"lastUpdateId":50093239218,"bids":[["61837.63000000","3.78826000"]],"asks":[["61837.64000000","1.5"]]}',
      wsTrade(3735683259, '61837.63000000', true, T),
      '1723161254087891268 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}',
      '1723161254036059768 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}}',
      '1723161254087896568 {"stream":"btcusdt@trade","data":{"e":"trade",',
      wsTrade(3735683260, '61837.64000000', false, T + 3),
    ];
    const file = write('btcusdt_20240101.gz', gzipSync(lines.join('\n') + '\n'));
    const { items, source } = await replay({ files: [file] });
    expect(trades(items)).toEqual([
      { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '3735683259', price: '61837.63000000', quantity: '0.01000000', side: 'sell', eventTime: T },
      { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '3735683260', price: '61837.64000000', quantity: '0.01000000', side: 'buy', eventTime: T + 3 },
    ]);
    expect(rejected(items)).toEqual([{ kind: 'rejected', reason: expect.stringMatching(/^btcusdt_20240101\.gz:5: message is not JSON/), raw: lines[4] }]);
    expect(source.stats()).toEqual({ lines: 6, trades: 2, candles: 0, rejected: 1, skipped: 3, resumed: 0 });
  });
});

describe('replay: bad files never throw', () => {
  it('a corrupt gzip, an unrecognised file and an over-long line become rejected items; later files still replay', async () => {
    const corrupt = write('BTCUSDT-1m-2024-01-01.csv.gz', Buffer.concat([gzipSync(`${klineRow(T, '1')}\n`).subarray(0, 12), Buffer.from('this is not deflate data at all')]));
    const notes = write('notes.txt', 'hello, world\nsecond line\n');
    const long = write('BTCUSDT-1m-2024-01-03.csv', `${'x'.repeat(3 << 20)}\n${klineRow(T + 2 * 86_400_000, '3')}\n`);
    const good = write('BTCUSDT-1m-2024-01-02.csv', `${klineRow(T + 86_400_000, '2')}\n`);
    const { items } = await replay({ files: [corrupt, notes, long, good] });
    const reasons = rejected(items).map((r) => r.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^BTCUSDT-1m-2024-01-01\.csv\.gz: cannot read/),
      expect.stringMatching(/cannot tell the format of notes\.txt/),
      expect.stringMatching(/^BTCUSDT-1m-2024-01-03\.csv:1: line of 3145728 characters is too long/),
    ]);
    expect(candles(items).map((c) => c.close)).toEqual(['3', '2']);
  });

  it('a file that does not exist is refused up front, before anything is replayed', () => {
    let error: unknown;
    try {
      createReplaySource({ files: [path.join(dir, 'missing.csv')] });
    } catch (e) {
      error = e;
    }
    expect(isInvalidInputError(error)).toBe(true);
    expect(String(error)).toMatch(/missing\.csv/);
  });
});

describe('replay: order, batches, progress, pacing, abort', () => {
  const rows = (n: number, start: number): string =>
    Array.from({ length: n }, (_, i) => `${i + 1},1.5,2,3,${start + i},${i % 2 === 0},true`).join('\n') + '\n';

  it('replays files in the order given, in batches of at most batchSize, and counts bytes against the total', async () => {
    const a = write('BTCUSDT-trades-2024-02-01.csv', rows(25, T));
    const b = write('ETHUSDT-trades-2024-02-01.csv', rows(10, T));
    const total = statSync(a).size + statSync(b).size;
    const source = createReplaySource({ files: [a, b], batchSize: 7 });
    expect(source.progress()).toEqual({ done: 0, total });
    const seen: Array<{ source: string; n: number; done: number }> = [];
    await source.run(async (batch) => {
      seen.push({ source: batch.source, n: batch.items.length, done: source.progress().done });
    }, new AbortController().signal);
    expect(seen.map((s) => `${s.source}:${s.n}`)).toEqual([
      'replay:BTCUSDT-trades-2024-02-01.csv:7',
      'replay:BTCUSDT-trades-2024-02-01.csv:7',
      'replay:BTCUSDT-trades-2024-02-01.csv:7',
      'replay:BTCUSDT-trades-2024-02-01.csv:4',
      'replay:ETHUSDT-trades-2024-02-01.csv:7',
      'replay:ETHUSDT-trades-2024-02-01.csv:3',
    ]);
    expect(seen.every((s, i) => i === 0 || s.done >= seen[i - 1]!.done)).toBe(true);
    expect(source.progress()).toEqual({ done: total, total });
  });

  it('speed N paces by event time: one-minute candles at 1200× come out 50 ms apart', async () => {
    const file = write('BTCUSDT-1m-2024-03-01.csv', [0, 1, 2, 3].map((i) => klineRow(T + i * 60_000, '1')).join('\n'));
    const source = createReplaySource({ files: [file], speed: 1_200 });
    const times: number[] = [];
    await source.run(async (b) => {
      for (const _ of b.items) times.push(performance.now());
    }, new AbortController().signal);
    expect(times).toHaveLength(4);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(140);
    expect(times[3]! - times[0]!).toBeLessThan(1_000);
  });

  it('stops promptly on abort, while pacing and while racing through a big file', async () => {
    const paced = write('BTCUSDT-1m-2024-03-02.csv', [0, 1, 2].map((i) => klineRow(T + i * 60_000, '1')).join('\n'));
    const slow = createReplaySource({ files: [paced], speed: 1 });
    const stopSlow = new AbortController();
    setTimeout(() => stopSlow.abort(), 50);
    let started = Date.now();
    await slow.run(async () => undefined, stopSlow.signal);
    expect(Date.now() - started).toBeLessThan(500);

    const big = write('BTCUSDT-trades-2024-03-03.csv', rows(300_000, T));
    const fast = createReplaySource({ files: [big] });
    const stopFast = new AbortController();
    setTimeout(() => stopFast.abort(), 30);
    started = Date.now();
    await fast.run(async () => undefined, stopFast.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fast.progress().done).toBeLessThan(fast.progress().total!);
  });
});

describe('replay: resume from import checkpoints', () => {
  const rows = (n: number): string => Array.from({ length: n }, (_, i) => `${i + 1},1.5,2,3,${T + i},${i % 2 === 0},true`).join('\n') + '\n';

  /** A consumer that stores trade keys like the ledger and fails (a crash) on its `failAt`-th batch. */
  const ledgerLike = (failAt = Infinity) => {
    const stored = new Set<string>();
    let calls = 0;
    const emit = async (b: SourceBatch): Promise<void> => {
      if (++calls === failAt) throw new Error('killed');
      for (const t of trades(b.items)) stored.add(`trade/${t.exchange}/${t.symbol}/${t.tradeId}`);
      return Promise.resolve();
    };
    return { stored, emit, isStored: async (key: string) => Promise.resolve(stored.has(key)) };
  };

  it('a rerun reads past the committed lines and hands out exactly the rest; a complete file is read past entirely', async () => {
    const file = write('BTCUSDT-trades-2024-04-01.csv', rows(25));
    const store = path.join(dir, 'checkpoints-a.json');
    const ledger = ledgerLike(3);
    const first = createReplaySource({ files: [file], batchSize: 7, checkpoints: createImportCheckpoints({ file: store, isStored: ledger.isStored }) });
    await expect(first.run(ledger.emit, new AbortController().signal)).rejects.toThrow('killed');
    expect(ledger.stored.size).toBe(14);

    const second = createReplaySource({ files: [file], batchSize: 7, checkpoints: createImportCheckpoints({ file: store, isStored: ledger.isStored }) });
    const handed: TradeData[] = [];
    await second.run(async (b) => {
      handed.push(...trades(b.items));
      await ledger.emit(b);
    }, new AbortController().signal);
    expect(second.stats()).toMatchObject({ lines: 25, resumed: 14, trades: 11 });
    expect(handed.map((t) => t.tradeId)).toEqual(Array.from({ length: 11 }, (_, i) => String(i + 15)));
    expect(ledger.stored.size).toBe(25);

    const third = createReplaySource({ files: [file], batchSize: 7, checkpoints: createImportCheckpoints({ file: store, isStored: ledger.isStored }) });
    const batches: SourceBatch[] = [];
    await third.run(async (b) => void batches.push(b), new AbortController().signal);
    expect(batches).toEqual([]);
    expect(third.stats()).toMatchObject({ lines: 25, resumed: 25, trades: 0 });
  });

  it('a checkpoint whose last fact the ledger does not hold (another ledger) is ignored: the file starts over', async () => {
    const file = write('BTCUSDT-trades-2024-04-02.csv', rows(10));
    const store = path.join(dir, 'checkpoints-b.json');
    await createReplaySource({ files: [file], batchSize: 4, checkpoints: createImportCheckpoints({ file: store, isStored: ledgerLike().isStored }) })
      .run(ledgerLike().emit, new AbortController().signal);
    const empty = ledgerLike();
    const rerun = createReplaySource({ files: [file], batchSize: 4, checkpoints: createImportCheckpoints({ file: store, isStored: empty.isStored }) });
    await rerun.run(empty.emit, new AbortController().signal);
    expect(rerun.stats()).toMatchObject({ resumed: 0, trades: 10 });
    expect(empty.stored.size).toBe(10);
  });

  it('a changed file (other size) does not use the old checkpoint', async () => {
    const store = path.join(dir, 'checkpoints-c.json');
    const ledger = ledgerLike();
    const file = write('BTCUSDT-trades-2024-04-03.csv', rows(6));
    await createReplaySource({ files: [file], checkpoints: createImportCheckpoints({ file: store, isStored: ledger.isStored }) }).run(ledger.emit, new AbortController().signal);
    write('BTCUSDT-trades-2024-04-03.csv', rows(9));
    const rerun = createReplaySource({ files: [file], checkpoints: createImportCheckpoints({ file: store, isStored: ledger.isStored }) });
    await rerun.run(ledger.emit, new AbortController().signal);
    expect(rerun.stats()).toMatchObject({ resumed: 0, trades: 9 });
  });
});

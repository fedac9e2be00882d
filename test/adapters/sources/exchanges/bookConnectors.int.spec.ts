/**
 * The book channels of the Kraken, Binance, Bitfinex and Coinbase connectors against a loopback fake exchange (real
 * ws + http) speaking each one's documented book protocol: the snapshot and updates passed on as
 * checked book events; a checksum mismatch (Kraken) and a sequence gap (Binance) each recorded as
 * a resync and followed by a fresh snapshot (Kraken: the book unsubscribed and subscribed again;
 * Binance: the REST depth fetched again, the diffs held until it comes); a malformed book frame
 * kept as a rejection with its reason; a dropped connection recorded as a resync and the book
 * rebuilt after the reconnect. The fake's checksums are computed independently
 * (test/support/bookStreams.ts: plain strings and zlib.crc32).
 *
 * Bitfinex: conf flag 131072, `book` P0 len 25, a snapshot, level changes each followed by a `cs`
 * checksum; a wrong one is recorded as a resync and the book unsubscribed by its chanId and
 * subscribed again; frames the old chanId still sends after the new snapshot are not applied.
 * Coinbase Advanced Trade: `level2` + `heartbeats`, a snapshot and updates
 * numbered by the connection's sequence_num; a jump is recorded as a gap resync and the product
 * resubscribed.
 *
 * OKX `books`: a snapshot then updates chained prevSeqId → seqId, each with the signed CRC32 of
 * the top 25; a wrong checksum and a lost message are each recorded as a resync and the book
 * unsubscribed and subscribed again. Bybit `orderbook.50`: update ids `u` one by one; a skip is a
 * gap resync and the topic resubscribed. Bitstamp `diff_order_book` + REST order_book: diffs held
 * until the snapshot, those not after its microtimestamp dropped as already in it (counted, not a
 * resync: Bitstamp numbers nothing that could show a loss), so the resync is the disconnect's and
 * the fresh snapshot comes from REST. Gemini `l2`: nothing numbered, a dropped connection is the
 * resync and the first l2_updates of the new subscription the fresh book. In every case the book
 * passed on, folded into a ReferenceBook, equals the fake's own. A slow consumer (emit held) loses
 * nothing: the socket is paused past its high-water mark and every update comes through in order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBinanceSource } from '../../../../src/adapters/sources/binance/binanceSource.js';
import { createBitfinexSource } from '../../../../src/adapters/sources/bitfinex/bitfinexSource.js';
import { createBitstampSource } from '../../../../src/adapters/sources/bitstamp/bitstampSource.js';
import { createBybitSource } from '../../../../src/adapters/sources/bybit/bybitSource.js';
import { createCoinbaseSource } from '../../../../src/adapters/sources/coinbase/coinbaseSource.js';
import { createGeminiSource } from '../../../../src/adapters/sources/gemini/geminiSource.js';
import { createKrakenSource } from '../../../../src/adapters/sources/kraken/krakenSource.js';
import { createOkxSource } from '../../../../src/adapters/sources/okx/okxSource.js';
import type { BookResyncData, BookSnapshotData, BookUpdateData } from '../../../../src/domain/orderbook/bookEvents.js';
import type { SourceBatch, SourceItem } from '../../../../src/domain/ports.js';
import type { LiveSourceOptions } from '../../../../src/adapters/sources/wire/liveSourceOptions.js';
import type { StreamingSource } from '../../../../src/adapters/sources/wire/streamingSource.js';
import { eventually } from '../../../contracts/polling.js';
import { referenceBitfinexChecksum, referenceKrakenChecksum, referenceOkxChecksum } from '../../../support/bookStreams.js';
import { startFakeExchange, type FakeConnection, type FakeExchange } from '../../../support/fakeExchange.js';
import { ReferenceBook } from '../../../support/referenceBook.js';

const fast = { backoff: { initialMs: 10, maxMs: 50, random: () => 0.5 }, pingIntervalMs: 20, idleTimeoutMs: 2_000 };
let exchange: FakeExchange | undefined;
let stop = new AbortController();
beforeEach(() => {
  stop = new AbortController();
});
afterEach(async () => {
  stop.abort();
  await exchange?.close();
  exchange = undefined;
});

const collect = (): { items: () => SourceItem[]; emit: (b: SourceBatch) => Promise<void> } => {
  const batches: SourceBatch[] = [];
  return { items: () => batches.flatMap((b) => b.items), emit: async (b) => void batches.push(b) };
};
const ofKind = <K extends SourceItem['kind']>(items: readonly SourceItem[], kind: K): Array<Extract<SourceItem, { kind: K }>> =>
  items.filter((i): i is Extract<SourceItem, { kind: K }> => i.kind === kind);
const resyncs = (items: readonly SourceItem[]): BookResyncData[] => ofKind(items, 'bookResync').map((i) => i.data as BookResyncData);
const json = (m: string): Record<string, unknown> => JSON.parse(m) as Record<string, unknown>;
const ALL = Number.MAX_SAFE_INTEGER;
/** Drops `c1`; once the connector records the disconnect, reconnects and has its `snapshots`-th snapshot, the new connection. `away`: what happens while it is gone. */
const droppedAndBack = async (c1: FakeConnection, out: ReturnType<typeof collect>, snapshots: number, away: () => void = () => undefined): Promise<FakeConnection> => {
  c1.socket.terminate();
  // In the same tick as the drop, so nothing of it can reach the connector before it reconnects.
  away();
  await eventually(() => resyncs(out.items()).some((r) => r.reason === 'disconnect'), { what: 'a disconnect resync' });
  const c2 = await exchange!.connection(2);
  await eventually(() => ofKind(out.items(), 'bookSnapshot').length === snapshots, { what: 'the snapshot after the reconnect' });
  return c2;
};
/** A connector of `create` following the books of `symbol` on the fake `exchange`, and its first connection. */
const followBook = async (create: (o: LiveSourceOptions) => StreamingSource, symbol: string): Promise<{ out: ReturnType<typeof collect>; source: StreamingSource; run: Promise<void>; c1: FakeConnection }> => {
  const out = collect();
  const source = create({ symbols: [symbol], channels: ['books'], wsUrl: exchange!.wsUrl, restUrl: exchange!.httpUrl, socket: fast });
  const run = source.run(out.emit, stop.signal);
  return { out, source, run, c1: await exchange!.connection(1) };
};
/** The book a consumer of the events builds: the last snapshot passed on and every update after it, folded into a ReferenceBook. */
const rebuilt = (items: readonly SourceItem[]): ReferenceBook => {
  const book = new ReferenceBook();
  const from = items.map((i) => i.kind).lastIndexOf('bookSnapshot');
  for (const i of from < 0 ? [] : items.slice(from)) {
    if (i.kind !== 'bookSnapshot' && i.kind !== 'bookUpdate') continue;
    const d = i.data as BookUpdateData;
    for (const [p, q] of d.bids) book.set('bids', p, q);
    for (const [p, q] of d.asks) book.set('asks', p, q);
  }
  return book;
};

describe('Kraken book connector against a fake Kraken', () => {
  const TS = '2024-08-08T23:00:00.000001Z';
  /** The fake's true book: a few levels, qty with trailing zeros (the checksum is over them). */
  const truth = new ReferenceBook();
  const levelsJson = (levels: ReadonlyArray<[string, string]>): string => levels.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',');
  const snapshotFrame = (): string => {
    const t = truth.top(10);
    return `{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[${levelsJson(t.bids)}],"asks":[${levelsJson(t.asks)}],"checksum":${referenceKrakenChecksum(truth)}}]}`;
  };
  const updateFrame = (side: 'bids' | 'asks', price: string, qty: string, corrupt = false): string => {
    truth.set(side, price, qty);
    const sum = referenceKrakenChecksum(truth) ^ (corrupt ? 1 : 0);
    const level = levelsJson([[price, qty]]);
    return `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[${side === 'bids' ? level : ''}],"asks":[${side === 'asks' ? level : ''}],"checksum":${sum >>> 0},"timestamp":"${TS}"}]}`;
  };

  it('passes on the checked book; a bad checksum resyncs by subscribing again; a malformed frame is rejected; a disconnect resyncs', async () => {
    truth.set('bids', '60000.1', '0.50000000');
    truth.set('bids', '59999.9', '1.00000000');
    truth.set('asks', '60000.5', '0.25000000');
    exchange = await startFakeExchange({
      onMessage: (c, m) => {
        const msg = JSON.parse(m) as { method: string; params: { channel: string } };
        if (msg.method === 'subscribe' && msg.params.channel === 'book') c.socket.send(snapshotFrame());
      },
    });
    const out = collect();
    const source = createKrakenSource({ symbols: ['BTC-USD'], channels: ['books'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast });
    const run = source.run(out.emit, stop.signal);
    const c1 = await exchange.connection(1);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1, { what: 'the snapshot' });
    expect(JSON.parse(c1.received[0]!)).toEqual({ method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 10, snapshot: true } });

    c1.socket.send(updateFrame('asks', '60000.4', '0.10000000'));
    await eventually(() => ofKind(out.items(), 'bookUpdate').length === 1, { what: 'the update' });
    expect((ofKind(out.items(), 'bookUpdate')[0]!.data as BookUpdateData).asks).toEqual([['60000.4', '0.10000000']]);

    c1.socket.send(updateFrame('bids', '60000.2', '0.30000000', true));
    await eventually(() => resyncs(out.items()).length === 1, { what: 'a checksum resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'kraken', symbol: 'BTC-USD', reason: 'checksum' });
    // Subscribed again, and the fresh snapshot is the true book.
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2, { what: 'the fresh snapshot' });
    expect(c1.received.slice(1).map((m) => JSON.parse(m) as unknown)).toEqual([
      { method: 'unsubscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 10 } },
      { method: 'subscribe', params: { channel: 'book', symbol: ['BTC/USD'], depth: 10, snapshot: true } },
    ]);
    const fresh = ofKind(out.items(), 'bookSnapshot')[1]!.data as BookSnapshotData;
    expect({ bids: fresh.bids, asks: fresh.asks }).toEqual(truth.top(10));

    c1.socket.send('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":"oops","qty":1}],"asks":[],"checksum":1,"timestamp":"2024-08-08T23:00:00Z"}]}');
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/kraken: book message: each of bids must have a non-negative price and qty/);

    c1.socket.terminate();
    await eventually(() => resyncs(out.items()).some((r) => r.reason === 'disconnect'), { what: 'a disconnect resync' });
    await exchange.connection(2);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 3, { what: 'the snapshot after the reconnect' });
    expect(source.stats()).toMatchObject({ bookSnapshots: 3, bookUpdates: 1, bookResyncs: 2, rejected: 1 });
    stop.abort();
    await run;
  });
});

describe('Binance book connector against a fake Binance', () => {
  const E = Date.UTC(2024, 7, 8);
  const diff = (U: number, u: number, price: string, qty: string): string =>
    JSON.stringify({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: E + u, s: 'BTCUSDT', U, u, b: [[price, qty]], a: [] } });

  it('holds the diffs until the REST snapshot, replays the ones after it, and on a gap fetches the snapshot again', async () => {
    let lastUpdateId = 100;
    const depthRequests: string[] = [];
    let releaseFirst: (() => void) | undefined;
    const firstAnswered = new Promise<void>((resolve) => (releaseFirst = resolve));
    exchange = await startFakeExchange({
      http: (req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '', 'http://x');
        if (url.pathname !== '/api/v3/depth') {
          res.writeHead(404).end('{}');
          return;
        }
        depthRequests.push(url.search);
        const answer = (): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lastUpdateId, bids: [['59999.00', '1.00000000']], asks: [['60001.00', '2.00000000']] }));
        // The first snapshot waits until the test has sent diffs on the socket (they must be held).
        if (depthRequests.length === 1) void firstAnswered.then(answer);
        else answer();
      },
    });
    const out = collect();
    const source = createBinanceSource({ symbols: ['BTC-USDT'], channels: ['books'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast });
    const run = source.run(out.emit, stop.signal);
    const c: FakeConnection = await exchange.connection(1);
    expect(c.url).toBe('/stream?streams=btcusdt@depth@100ms');
    await eventually(() => depthRequests.length === 1, { what: 'the REST snapshot request' });
    expect(depthRequests[0]).toBe('?symbol=BTCUSDT&limit=1000');
    // Diffs before and across the snapshot's lastUpdateId (100): 95-98 is stale, 99-102 bridges it.
    c.socket.send(diff(95, 98, '59998.00', '3.00000000'));
    c.socket.send(diff(99, 102, '59999.50', '0.50000000'));
    await eventually(() => source.stats().messages === 2, { what: 'two diffs received' });
    expect(ofKind(out.items(), 'bookUpdate')).toEqual([]);
    releaseFirst!();
    await eventually(() => ofKind(out.items(), 'bookUpdate').length === 1, { what: 'the bridging diff replayed on the snapshot' });
    expect(ofKind(out.items(), 'bookSnapshot')).toHaveLength(1);
    expect((ofKind(out.items(), 'bookUpdate')[0]!.data as BookUpdateData).firstSequence).toBe(99);

    c.socket.send(diff(103, 104, '59999.50', '0'));
    await eventually(() => ofKind(out.items(), 'bookUpdate').length === 2, { what: 'the next diff' });
    // 105-106 lost: the diff 107-108 is a gap; the snapshot is fetched again.
    lastUpdateId = 110;
    c.socket.send(diff(107, 108, '59997.00', '1.00000000'));
    await eventually(() => resyncs(out.items()).length === 1, { what: 'a gap resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'binance', symbol: 'BTC-USDT', reason: 'gap', expected: 'U = 105', got: 'U 107' });
    await eventually(() => depthRequests.length === 2, { what: 'the snapshot fetched again' });
    c.socket.send(diff(111, 112, '59996.00', '1.00000000'));
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2 && ofKind(out.items(), 'bookUpdate').length === 3, { what: 'the new snapshot and the next diff' });
    stop.abort();
    await run;
  });
});

describe('Bitfinex book connector against a fake Bitfinex', () => {
  const truth = new ReferenceBook();
  let nextChanId = 100;
  const subscribedTo = new Map<FakeConnection, number>();
  const snapshotFrame = (chanId: number): string => {
    const t = truth.top(25);
    return `[${chanId},[${[...t.bids.map(([p, q]) => `[${p},1,${q}]`), ...t.asks.map(([p, q]) => `[${p},1,-${q}]`)].join(',')}]]`;
  };
  /** A level change and its checksum message (the checksum spoilt when `corrupt`). */
  const change = (c: FakeConnection, side: 'bids' | 'asks', price: string, qty: string, corrupt = false): void => {
    truth.set(side, price, qty);
    const chanId = subscribedTo.get(c)!;
    const removed = qty === '0';
    const amount = side === 'bids' ? (removed ? '1' : qty) : removed ? '-1' : `-${qty}`;
    c.socket.send(`[${chanId},[${price},${removed ? 0 : 1},${amount}]]`);
    c.socket.send(`[${chanId},"cs",${referenceBitfinexChecksum(truth) ^ (corrupt ? 1 : 0)}]`);
  };

  it('passes on the checked book; a bad checksum resyncs by unsubscribing its chanId and subscribing again; a malformed frame is rejected; a disconnect resyncs', async () => {
    truth.set('bids', '60000.1', '0.5');
    truth.set('bids', '59999.9', '1.25');
    truth.set('asks', '60000.5', '0.25');
    exchange = await startFakeExchange({
      onMessage: (c, m) => {
        const msg = json(m);
        if (msg['event'] === 'subscribe' && msg['channel'] === 'book') {
          const chanId = nextChanId++;
          subscribedTo.set(c, chanId);
          c.socket.send(JSON.stringify({ event: 'subscribed', channel: 'book', chanId, symbol: msg['symbol'], prec: 'P0', freq: 'F0', len: '25', pair: 'BTCUSD' }));
          c.socket.send(snapshotFrame(chanId));
          c.socket.send(`[${chanId},"cs",${referenceBitfinexChecksum(truth)}]`);
        } else if (msg['event'] === 'unsubscribe') {
          c.socket.send(JSON.stringify({ event: 'unsubscribed', status: 'OK', chanId: msg['chanId'] }));
        }
      },
    });
    const out = collect();
    const source = createBitfinexSource({ symbols: ['BTC-USD'], channels: ['books'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast });
    const run = source.run(out.emit, stop.signal);
    const c1 = await exchange.connection(1);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1 && source.stats().bookUpdates === 1, { what: 'the snapshot and its checksum' });
    expect(c1.received.slice(0, 2).map(json)).toEqual([
      { event: 'conf', flags: 131072 },
      { event: 'subscribe', channel: 'book', symbol: 'tBTCUSD', prec: 'P0', freq: 'F0', len: '25' },
    ]);

    change(c1, 'asks', '60000.4', '0.1');
    change(c1, 'bids', '59999.9', '0');
    await eventually(() => source.stats().bookUpdates === 5, { what: 'two changes and their checksums' });
    expect(ofKind(out.items(), 'bookUpdate').map((u) => (u.data as BookUpdateData).asks).slice(1, 2)).toEqual([[['60000.4', '0.1']]]);
    expect(resyncs(out.items())).toEqual([]);

    change(c1, 'bids', '60000.2', '0.3', true);
    await eventually(() => resyncs(out.items()).length === 1, { what: 'a checksum resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'bitfinex', symbol: 'BTC-USD', reason: 'checksum' });
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2, { what: 'the fresh snapshot' });
    expect(c1.received.slice(2).map(json)).toEqual([
      { event: 'unsubscribe', chanId: 100 },
      { event: 'subscribe', channel: 'book', symbol: 'tBTCUSD', prec: 'P0', freq: 'F0', len: '25' },
    ]);
    const fresh = ofKind(out.items(), 'bookSnapshot')[1]!.data as BookSnapshotData;
    expect({ bids: fresh.bids, asks: fresh.asks }).toEqual(truth.top(25));

    c1.socket.send('[101,[60000.2,1,0]]');
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/bitfinex: book message: AMOUNT must be a non-zero number/);

    c1.socket.terminate();
    await eventually(() => resyncs(out.items()).some((r) => r.reason === 'disconnect'), { what: 'a disconnect resync' });
    await exchange.connection(2);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 3, { what: 'the snapshot after the reconnect' });
    expect(source.stats()).toMatchObject({ bookSnapshots: 3, bookResyncs: 2, rejected: 1 });
    stop.abort();
    await run;
  });

  it("frames of the old chanId that still come after the resubscription's snapshot are not applied to the new book", async () => {
    const book = new ReferenceBook();
    book.set('bids', '60000.1', '0.5');
    book.set('asks', '60000.5', '0.25');
    const ids: number[] = [];
    const frame = (chanId: number): string => {
      const t = book.top(25);
      return `[${chanId},[${[...t.bids.map(([p, q]) => `[${p},1,${q}]`), ...t.asks.map(([p, q]) => `[${p},1,-${q}]`)].join(',')}]]`;
    };
    exchange = await startFakeExchange({
      onMessage: (c, m) => {
        const msg = json(m);
        // The unsubscribe is never answered here: the old channel goes on delivering.
        if (msg['event'] !== 'subscribe') return;
        const chanId = 200 + ids.length;
        ids.push(chanId);
        c.socket.send(JSON.stringify({ event: 'subscribed', channel: 'book', chanId, symbol: msg['symbol'], prec: 'P0', freq: 'F0', len: '25', pair: 'BTCUSD' }));
        c.socket.send(frame(chanId));
        c.socket.send(`[${chanId},"cs",${referenceBitfinexChecksum(book)}]`);
      },
    });
    const { out, source, run, c1 } = await followBook(createBitfinexSource, 'BTC-USD');
    await eventually(() => source.stats().bookUpdates === 1, { what: 'the snapshot and its checksum' });
    book.set('bids', '60000.2', '0.3');
    c1.socket.send(`[200,[60000.2,1,0.3]]`);
    c1.socket.send(`[200,"cs",${referenceBitfinexChecksum(book) ^ 1}]`);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2 && source.stats().bookUpdates === 3, { what: 'the resync, the new subscription and its checksum' });
    // The old channel's frames, after the new snapshot: a level the book does not have and a checksum of another book.
    c1.socket.send('[200,[59000.1,1,7]]');
    c1.socket.send('[200,"cs",12345]');
    book.set('asks', '60000.4', '0.1');
    c1.socket.send(`[201,[60000.4,1,-0.1]]`);
    c1.socket.send(`[201,"cs",${referenceBitfinexChecksum(book)}]`);
    await eventually(() => source.stats().bookUpdates === 5, { what: "the new channel's change and its checksum" });
    expect(resyncs(out.items())).toHaveLength(1);
    expect(rebuilt(out.items()).top(ALL)).toEqual(book.top(ALL));
    expect(ofKind(out.items(), 'rejected')).toEqual([]);
    stop.abort();
    await run;
  });
});

describe('Coinbase book connector against a fake Coinbase Advanced Trade', () => {
  const T = '2023-02-09T20:32:50.714964855Z';
  const truth = new ReferenceBook();
  const seqOf = new Map<FakeConnection, number>();
  /** Sends an Advanced Trade message with the connection's next sequence_num (`skip` of them lost first). */
  const sendNumbered = (c: FakeConnection, body: Record<string, unknown>, skip = 0): void => {
    const seq = (seqOf.get(c) ?? -1) + 1 + skip;
    seqOf.set(c, seq);
    c.socket.send(JSON.stringify({ ...body, client_id: '', timestamp: T, sequence_num: seq }));
  };
  const levels = (b: ReferenceBook): unknown[] => {
    const t = b.top(Number.MAX_SAFE_INTEGER);
    return [...t.bids.map(([p, q]) => ({ side: 'bid', event_time: T, price_level: p, new_quantity: q })), ...t.asks.map(([p, q]) => ({ side: 'offer', event_time: T, price_level: p, new_quantity: q }))];
  };
  const update = (c: FakeConnection, side: 'bids' | 'asks', price: string, qty: string, skip = 0): void => {
    truth.set(side, price, qty);
    sendNumbered(c, { channel: 'l2_data', events: [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: side === 'bids' ? 'bid' : 'offer', event_time: T, price_level: price, new_quantity: qty }] }] }, skip);
  };

  it('passes on the book; a sequence_num jump resyncs the book and resubscribes it; a malformed frame is rejected; a disconnect resyncs', async () => {
    truth.set('bids', '21921.73', '0.06317902');
    truth.set('asks', '21921.74', '0.0028');
    exchange = await startFakeExchange({
      onMessage: (c, m) => {
        const msg = json(m);
        if (msg['type'] === 'subscribe') {
          sendNumbered(c, { channel: 'subscriptions', events: [{ subscriptions: { [String(msg['channel'])]: msg['product_ids'] } }] });
          if (msg['channel'] === 'level2') sendNumbered(c, { channel: 'l2_data', events: [{ type: 'snapshot', product_id: 'BTC-USD', updates: levels(truth) }] });
        }
      },
    });
    const out = collect();
    const source = createCoinbaseSource({ symbols: ['BTC-USD'], channels: ['books'], bookWsUrl: exchange.wsUrl, wsUrl: 'ws://127.0.0.1:9', restUrl: exchange.httpUrl, socket: fast });
    const run = source.run(out.emit, stop.signal);
    const c1 = await exchange.connection(1);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1, { what: 'the snapshot' });
    expect(c1.received.slice(0, 2).map(json)).toEqual([
      { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'heartbeats' },
    ]);
    update(c1, 'asks', '21921.80', '1.5');
    sendNumbered(c1, { channel: 'heartbeats', events: [{ current_time: T, heartbeat_counter: 1 }] });
    update(c1, 'bids', '21921.73', '0');
    await eventually(() => source.stats().bookUpdates === 2, { what: 'two updates' });
    expect(resyncs(out.items())).toEqual([]);

    // Two messages lost on the connection: the book can no longer be trusted.
    update(c1, 'bids', '21921.70', '2', 2);
    await eventually(() => resyncs(out.items()).length === 1, { what: 'a gap resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'coinbase', symbol: 'BTC-USD', reason: 'gap' });
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2, { what: 'the fresh snapshot' });
    expect(c1.received.slice(2).map(json)).toEqual([
      { type: 'unsubscribe', product_ids: ['BTC-USD'], channel: 'level2' },
      { type: 'subscribe', product_ids: ['BTC-USD'], channel: 'level2' },
    ]);
    const fresh = ofKind(out.items(), 'bookSnapshot')[1]!.data as BookSnapshotData;
    expect({ bids: fresh.bids, asks: fresh.asks }).toEqual(truth.top(Number.MAX_SAFE_INTEGER));
    // The update that revealed the gap came before the fresh snapshot: not passed on.
    expect(source.stats().bookUpdates).toBe(2);

    sendNumbered(c1, { channel: 'l2_data', events: [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: 'ask', event_time: T, price_level: '1', new_quantity: '1' }] }] });
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/coinbase level2: l2_data message: side must be bid or offer/);

    c1.socket.terminate();
    await eventually(() => resyncs(out.items()).some((r) => r.reason === 'disconnect'), { what: 'a disconnect resync' });
    await exchange.connection(2);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 3, { what: 'the snapshot after the reconnect' });
    expect(source.stats()).toMatchObject({ bookSnapshots: 3, bookUpdates: 2, bookResyncs: 2, rejected: 1 });
    stop.abort();
    await run;
  });
});

describe('OKX book connector against a fake OKX', () => {
  const TS = String(Date.UTC(2024, 7, 8, 23));
  const ARG = { channel: 'books', instId: 'BTC-USDT' };
  /** The fake's true book and its seqId chain (the last seqId it published). */
  let truth = new ReferenceBook();
  let seqId = 0;
  const levels = (list: ReadonlyArray<readonly [string, string]>): string[][] => list.map(([p, q]) => [p, q, '0', q === '0' ? '0' : '1']);
  const snapshotFrame = (): string => {
    seqId += 3;
    const t = truth.top(400);
    return JSON.stringify({ arg: ARG, action: 'snapshot', data: [{ asks: levels(t.asks), bids: levels(t.bids), ts: TS, checksum: referenceOkxChecksum(truth), prevSeqId: -1, seqId }] });
  };
  /** A level change as OKX pushes it (the checksum spoilt when `corrupt`); `lost`: the exchange publishes it but this connection never gets it. */
  const update = (c: FakeConnection, side: 'bids' | 'asks', price: string, qty: string, o: { corrupt?: boolean; lost?: boolean; written?: () => void } = {}): void => {
    truth.set(side, price, qty);
    const prevSeqId = seqId;
    seqId += 3;
    const change = levels([[price, qty]]);
    const frame = JSON.stringify({ arg: ARG, action: 'update', data: [{ asks: side === 'asks' ? change : [], bids: side === 'bids' ? change : [], ts: TS, checksum: referenceOkxChecksum(truth) ^ (o.corrupt === true ? 1 : 0), prevSeqId, seqId }] });
    if (o.lost !== true) c.socket.send(frame, o.written);
  };
  const startOkx = async (): Promise<FakeExchange> => startFakeExchange({
    onMessage: (c, m) => {
      if (m === 'ping') return void c.socket.send('pong');
      const msg = json(m);
      for (const arg of msg['args'] as unknown[]) c.socket.send(JSON.stringify({ event: msg['op'], arg, connId: 'a4d3ae55' }));
      if (msg['op'] === 'subscribe') c.socket.send(snapshotFrame());
    },
  });
  const sent = (c: FakeConnection): unknown[] => c.received.filter((m) => m !== 'ping').map(json);
  const SUBSCRIBE = { op: 'subscribe', args: [ARG] };

  beforeEach(() => {
    truth = new ReferenceBook();
    seqId = 0;
    truth.set('bids', '60000.1', '0.5');
    truth.set('bids', '59999.9', '1.25');
    truth.set('asks', '60000.5', '0.25');
    truth.set('asks', '60001', '3');
  });

  it('passes on the checked book; a wrong checksum and a prevSeqId gap each resync by subscribing again; a malformed frame is rejected; a disconnect resyncs', async () => {
    exchange = await startOkx();
    const { out, source, run, c1 } = await followBook(createOkxSource, 'BTC-USDT');
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1, { what: 'the snapshot' });
    expect(sent(c1)).toEqual([SUBSCRIBE]);

    update(c1, 'asks', '60000.4', '0.1');
    update(c1, 'bids', '59999.9', '0');
    update(c1, 'bids', '60000.2', '2');
    await eventually(() => source.stats().bookUpdates === 3, { what: 'three updates' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(resyncs(out.items())).toEqual([]);

    update(c1, 'asks', '60000.5', '0.75', { corrupt: true });
    await eventually(() => resyncs(out.items()).length === 1, { what: 'a checksum resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'okx', symbol: 'BTC-USDT', reason: 'checksum' });
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2, { what: 'the fresh snapshot' });
    expect(sent(c1).slice(1)).toEqual([{ op: 'unsubscribe', args: [ARG] }, SUBSCRIBE]);
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));

    // One message lost: the next one's prevSeqId names a seqId this book never had.
    const before = seqId;
    update(c1, 'bids', '59999', '4', { lost: true });
    update(c1, 'asks', '60003', '1');
    await eventually(() => resyncs(out.items()).length === 2, { what: 'a gap resync' });
    expect(resyncs(out.items())[1]).toMatchObject({ exchange: 'okx', symbol: 'BTC-USDT', reason: 'gap', expected: `prevSeqId ${before}`, got: `prevSeqId ${before + 3}` });
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 3, { what: 'the snapshot after the gap' });
    expect(sent(c1).slice(3)).toEqual([{ op: 'unsubscribe', args: [ARG] }, SUBSCRIBE]);
    // The fresh book has the lost change.
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    update(c1, 'asks', '60003', '0');
    await eventually(() => source.stats().bookUpdates === 4, { what: 'an update on the fresh book' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));

    c1.socket.send(JSON.stringify({ arg: ARG, action: 'update', data: [{ asks: [], bids: [['60000.2', '1', '0', '1']], ts: TS, checksum: 'abc', prevSeqId: seqId, seqId: seqId + 1 }] }));
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/okx: books message: checksum must be a signed 32-bit integer, got "abc"/);

    const c2 = await droppedAndBack(c1, out, 4);
    expect(sent(c2)).toEqual([SUBSCRIBE]);
    update(c2, 'bids', '60000.3', '0.01');
    await eventually(() => source.stats().bookUpdates === 5, { what: 'an update after the reconnect' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(source.stats()).toMatchObject({ bookSnapshots: 4, bookUpdates: 5, bookResyncs: 3, rejected: 1 });
    stop.abort();
    await run;
  });

  it('a slow consumer loses nothing: while emit is held the socket is paused, and then every update comes through in order, checked', async () => {
    exchange = await startOkx();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batches: SourceBatch[] = [];
    const emit = async (b: SourceBatch): Promise<void> => {
      await held;
      batches.push(b);
    };
    const items = (): SourceItem[] => batches.flatMap((b) => b.items);
    const maxBatch = 10;
    const source = createOkxSource({ symbols: ['BTC-USDT'], channels: ['books'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: { ...fast, idleTimeoutMs: 60_000, highWater: 20, maxBatch } });
    const run = source.run(emit, stop.signal);
    const c1 = await exchange.connection(1);
    await eventually(() => source.stats().bookSnapshots === 1, { what: 'the snapshot taken (its emit held)' });
    const N = 300;
    let written = 0;
    for (let i = 0; i < N; i++) {
      const side = i % 2 === 0 ? 'bids' : 'asks';
      const price = side === 'bids' ? `59990.${i % 10}` : `60010.${i % 10}`;
      update(c1, side, price, i % 7 === 6 ? '0' : `${1 + (i % 5)}.${i}`, { written: () => void written++ });
    }
    await eventually(() => written === N, { what: 'every update written to the connection' });
    // The connector took one batch and waits on its emit: it read no further into what was sent.
    expect(source.stats().messages).toBeLessThanOrEqual(maxBatch);
    expect(source.stats().bookUpdates).toBe(0);
    release();
    await eventually(() => ofKind(items(), 'bookUpdate').length === N, { what: 'every update passed on', timeoutMs: 20_000 });
    expect(ofKind(items(), 'bookUpdate').map((u) => (u.data as BookUpdateData).prevSequence)).toEqual(Array.from({ length: N }, (_, i) => 3 + 3 * i));
    expect(resyncs(items())).toEqual([]);
    expect(rebuilt(items()).top(ALL)).toEqual(truth.top(ALL));
    expect(source.stats()).toMatchObject({ bookSnapshots: 1, bookUpdates: N, bookResyncs: 0, bookStale: 0, rejected: 0, reconnects: 0 });
    stop.abort();
    await run;
  });
});

describe('Bybit book connector against a fake Bybit', () => {
  const TOPIC = 'orderbook.50.BTCUSDT';
  const TS = Date.UTC(2024, 7, 8, 23);
  const truth = new ReferenceBook();
  /** The topic's update id: the last `u` the fake published. */
  let u = 18_521_288;
  const ack = (op: unknown): string => JSON.stringify({ success: true, ret_msg: '', conn_id: '0970e817-426e-429a-a679-ff7f55e0b16a', req_id: '', op });
  const snapshotFrame = (): string => {
    const t = truth.top(50);
    return JSON.stringify({ topic: TOPIC, type: 'snapshot', ts: TS, data: { s: 'BTCUSDT', b: t.bids, a: t.asks, u, seq: 7_961_638_724 }, cts: TS - 2 });
  };
  /** A delta; `lost`: published by Bybit, never received on this connection. */
  const delta = (c: FakeConnection, side: 'bids' | 'asks', price: string, qty: string, lost = false): void => {
    truth.set(side, price, qty);
    u += 1;
    const frame = JSON.stringify({ topic: TOPIC, type: 'delta', ts: TS + u % 1000, data: { s: 'BTCUSDT', b: side === 'bids' ? [[price, qty]] : [], a: side === 'asks' ? [[price, qty]] : [], u, seq: 7_961_638_724 + u }, cts: TS });
    if (!lost) c.socket.send(frame);
  };
  const SUBSCRIBE = { op: 'subscribe', args: [TOPIC] };
  const sent = (c: FakeConnection): unknown[] => c.received.map(json).filter((m) => m['op'] !== 'ping');

  it('passes on the checked book; an update id that skips resyncs by subscribing the topic again; a malformed frame is rejected; a disconnect resyncs', async () => {
    truth.set('bids', '16493.50', '0.006');
    truth.set('bids', '16493.00', '0.100');
    truth.set('asks', '16611.00', '0.029');
    exchange = await startFakeExchange({
      onMessage: (c, m) => {
        const op = json(m)['op'];
        c.socket.send(ack(op));
        if (op === 'subscribe') c.socket.send(snapshotFrame());
      },
    });
    const { out, source, run, c1 } = await followBook(createBybitSource, 'BTC-USDT');
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1, { what: 'the snapshot' });
    expect(sent(c1)).toEqual([SUBSCRIBE]);

    delta(c1, 'asks', '16610.50', '1.5');
    delta(c1, 'bids', '16493.50', '0');
    delta(c1, 'asks', '16611.00', '0.030');
    await eventually(() => source.stats().bookUpdates === 3, { what: 'three deltas' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(resyncs(out.items())).toEqual([]);

    // One delta lost: the next u skips one.
    const last = u;
    delta(c1, 'bids', '16492.00', '2', true);
    delta(c1, 'asks', '16612.00', '1');
    await eventually(() => resyncs(out.items()).length === 1, { what: 'a gap resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'bybit', symbol: 'BTC-USDT', reason: 'gap', expected: `u ${last + 1}`, got: `u ${last + 2}` });
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2, { what: 'the fresh snapshot' });
    expect(sent(c1).slice(1)).toEqual([{ op: 'unsubscribe', args: [TOPIC] }, SUBSCRIBE]);
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    delta(c1, 'bids', '16492.00', '0');
    await eventually(() => source.stats().bookUpdates === 4, { what: 'a delta on the fresh book' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));

    c1.socket.send(JSON.stringify({ topic: TOPIC, type: 'delta', ts: TS, data: { s: 'BTCUSDT', b: [], a: [], u: 'next', seq: 1 }, cts: TS }));
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/bybit: orderbook message: u \(update id\) must be a non-negative integer, got "next"/);

    const c2 = await droppedAndBack(c1, out, 3);
    expect(sent(c2)).toEqual([SUBSCRIBE]);
    delta(c2, 'asks', '16610.50', '0');
    await eventually(() => source.stats().bookUpdates === 5, { what: 'a delta after the reconnect' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(source.stats()).toMatchObject({ bookSnapshots: 3, bookUpdates: 5, bookResyncs: 2, rejected: 1 });
    stop.abort();
    await run;
  });
});

describe('Bitstamp book connector against a fake Bitstamp', () => {
  const CHANNEL = 'diff_order_book_btcusd';
  const truth = new ReferenceBook();
  /** Microseconds: each diff one later. */
  let micros = Date.UTC(2024, 7, 8, 23) * 1000 + 684_047;
  /** A diff as Bitstamp sends it; the text is returned so a test can send it again. */
  const diff = (side: 'bids' | 'asks', price: string, qty: string): string => {
    truth.set(side, price, qty);
    micros += 17;
    return JSON.stringify({ data: { timestamp: String(Math.floor(micros / 1e6)), microtimestamp: String(micros), bids: side === 'bids' ? [[price, qty]] : [], asks: side === 'asks' ? [[price, qty]] : [] }, channel: CHANNEL, event: 'data' });
  };
  const orderBook = (): string => {
    const t = truth.top(ALL);
    return JSON.stringify({ timestamp: String(Math.floor(micros / 1e6)), microtimestamp: String(micros), bids: t.bids, asks: t.asks });
  };

  it('holds the diffs until the REST order_book, drops those not after it, keeps the book; a disconnect resyncs from a fresh REST order_book', async () => {
    truth.set('bids', '36450', '0.01');
    truth.set('bids', '36449.5', '1.2');
    truth.set('asks', '36451', '0.5');
    const bookRequests: string[] = [];
    /** The order_book answers wait for the test to hand them a body. */
    const answers: Array<(body: string) => void> = [];
    exchange = await startFakeExchange({
      http: (req: IncomingMessage, res: ServerResponse) => {
        if (req.url !== '/api/v2/order_book/btcusd/') return void res.writeHead(404).end('{}');
        bookRequests.push(req.url);
        answers.push((body) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      },
      onMessage: (c, m) => {
        const msg = json(m);
        if (msg['event'] === 'bts:subscribe') c.socket.send(JSON.stringify({ event: 'bts:subscription_succeeded', channel: (msg['data'] as { channel: string }).channel, data: {} }));
      },
    });
    const { out, source, run, c1 } = await followBook(createBitstampSource, 'BTC-USD');
    await eventually(() => answers.length === 1 && c1.received.length === 1, { what: 'the subscription and the REST order_book request' });
    expect(c1.received.map(json)).toEqual([{ event: 'bts:subscribe', data: { channel: CHANNEL } }]);
    // A diff the snapshot will include, then the snapshot, then one after it.
    c1.socket.send(diff('asks', '36451', '0.7'));
    const snapshot = orderBook();
    c1.socket.send(diff('bids', '36450.5', '2'));
    await eventually(() => source.stats().messages === 3, { what: 'the two diffs received' });
    expect(ofKind(out.items(), 'bookUpdate')).toEqual([]);
    answers[0]!(snapshot);
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1, { what: 'the snapshot' });
    expect(source.stats()).toMatchObject({ bookSnapshots: 1, bookUpdates: 1, bookStale: 1 });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));

    const repeated = diff('bids', '36449.5', '0.4');
    c1.socket.send(repeated);
    c1.socket.send(diff('bids', '36449.5', '0.9'));
    // The first diff again (not after the last applied): already in the book, dropped, not applied over the newer one.
    c1.socket.send(repeated);
    c1.socket.send(diff('asks', '36452', '3'));
    await eventually(() => source.stats().bookUpdates === 4, { what: 'three more diffs' });
    expect(source.stats().bookStale).toBe(2);
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(resyncs(out.items())).toEqual([]);

    c1.socket.send(JSON.stringify({ data: { timestamp: '1723158000', microtimestamp: 'yesterday', bids: [], asks: [] }, channel: CHANNEL, event: 'data' }));
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/bitstamp: diff_order_book message: microtimestamp must be epoch microseconds as digits, got "yesterday"/);

    c1.socket.terminate();
    await eventually(() => resyncs(out.items()).some((r) => r.reason === 'disconnect'), { what: 'a disconnect resync' });
    expect(resyncs(out.items())[0]).toMatchObject({ exchange: 'bitstamp', symbol: 'BTC-USD', reason: 'disconnect' });
    const c2 = await exchange.connection(2);
    // Changes while the connector was away, then the fresh REST order_book.
    diff('asks', '36452', '0');
    diff('bids', '36448', '5');
    await eventually(() => answers.length === 2, { what: 'the REST order_book fetched again' });
    answers[1]!(orderBook());
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 2, { what: 'the fresh snapshot' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    c2.socket.send(diff('bids', '36450.5', '0'));
    await eventually(() => source.stats().bookUpdates === 5, { what: 'a diff on the fresh book' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(bookRequests).toHaveLength(2);
    expect(source.stats()).toMatchObject({ bookSnapshots: 2, bookUpdates: 5, bookStale: 2, bookResyncs: 1, rejected: 1 });
    stop.abort();
    await run;
  });
});

describe('Gemini book connector against a fake Gemini', () => {
  const truth = new ReferenceBook();
  const changes = (list: ReadonlyArray<readonly ['bids' | 'asks', string, string]>): string[][] => list.map(([side, p, q]) => [side === 'bids' ? 'buy' : 'sell', p, q]);
  /** The first l2_updates of a subscription: the whole book (and the latest trades: none here). */
  const firstFrame = (): string => {
    const t = truth.top(ALL);
    return JSON.stringify({ type: 'l2_updates', symbol: 'BTCUSD', changes: changes([...t.bids.map(([p, q]) => ['bids', p, q] as const), ...t.asks.map(([p, q]) => ['asks', p, q] as const)]), trades: [] });
  };
  /** A change; sent to `c` when given (none: the connector is away). */
  const change = (c: FakeConnection | undefined, side: 'bids' | 'asks', price: string, qty: string): void => {
    truth.set(side, price, qty);
    c?.socket.send(JSON.stringify({ type: 'l2_updates', symbol: 'BTCUSD', changes: changes([[side, price, qty]]) }));
  };
  const SUBSCRIBE = { type: 'subscribe', subscriptions: [{ name: 'l2', symbols: ['BTCUSD'] }] };

  it('passes on the book; a dropped connection resyncs and the new subscription rebuilds it; a malformed frame is rejected', async () => {
    truth.set('bids', '9122.04', '0.00121425');
    truth.set('bids', '9121.50', '1');
    truth.set('asks', '9122.50', '0.5');
    exchange = await startFakeExchange({
      onMessage: (c, m) => {
        if (json(m)['type'] === 'subscribe') c.socket.send(firstFrame());
      },
    });
    const { out, source, run, c1 } = await followBook(createGeminiSource, 'BTC-USD');
    await eventually(() => ofKind(out.items(), 'bookSnapshot').length === 1, { what: 'the first l2_updates' });
    expect(c1.received.map(json)).toEqual([SUBSCRIBE]);
    change(c1, 'asks', '9122.30', '0.25');
    change(c1, 'bids', '9121.50', '0');
    change(c1, 'bids', '9122.04', '0.5');
    await eventually(() => source.stats().bookUpdates === 3, { what: 'three changes' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));

    c1.socket.send(JSON.stringify({ type: 'l2_updates', symbol: 'BTCUSD', changes: [['hold', '9122.00', '1']] }));
    await eventually(() => ofKind(out.items(), 'rejected').length === 1, { what: 'the malformed frame' });
    expect(ofKind(out.items(), 'rejected')[0]!.reason).toMatch(/gemini: l2_updates message: each of changes must be \["buy" or "sell", price, quantity\]/);

    // Changes the connector cannot hear while it is away; the new subscription's first l2_updates has them.
    const c2 = await droppedAndBack(c1, out, 2, () => {
      change(undefined, 'asks', '9122.30', '0');
      change(undefined, 'bids', '9120', '7');
    });
    expect(resyncs(out.items())).toMatchObject([{ exchange: 'gemini', symbol: 'BTC-USD', reason: 'disconnect' }]);
    expect(c2.received.map(json)).toEqual([SUBSCRIBE]);
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    change(c2, 'asks', '9123', '2');
    await eventually(() => source.stats().bookUpdates === 4, { what: 'a change on the new book' });
    expect(rebuilt(out.items()).top(ALL)).toEqual(truth.top(ALL));
    expect(source.stats()).toMatchObject({ bookSnapshots: 2, bookUpdates: 4, bookResyncs: 1, rejected: 1 });
    stop.abort();
    await run;
  });
});

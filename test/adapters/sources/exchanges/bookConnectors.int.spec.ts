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
 * subscribed again. Coinbase Advanced Trade: `level2` + `heartbeats`, a snapshot and updates
 * numbered by the connection's sequence_num; a jump is recorded as a gap resync and the product
 * resubscribed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBinanceSource } from '../../../../src/adapters/sources/binance/binanceSource.js';
import { createBitfinexSource } from '../../../../src/adapters/sources/bitfinex/bitfinexSource.js';
import { createCoinbaseSource } from '../../../../src/adapters/sources/coinbase/coinbaseSource.js';
import { createKrakenSource } from '../../../../src/adapters/sources/kraken/krakenSource.js';
import type { BookResyncData, BookSnapshotData, BookUpdateData } from '../../../../src/domain/orderbook/bookEvents.js';
import type { SourceBatch, SourceItem } from '../../../../src/domain/ports.js';
import { eventually } from '../../../contracts/polling.js';
import { referenceBitfinexChecksum, referenceKrakenChecksum } from '../../../support/bookStreams.js';
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

/**
 * The book channels of the Kraken and Binance connectors against a loopback fake exchange (real
 * ws + http) speaking each one's documented book protocol: the snapshot and updates passed on as
 * checked book events; a checksum mismatch (Kraken) and a sequence gap (Binance) each recorded as
 * a resync and followed by a fresh snapshot (Kraken: the book unsubscribed and subscribed again;
 * Binance: the REST depth fetched again, the diffs held until it comes); a malformed book frame
 * kept as a rejection with its reason; a dropped connection recorded as a resync and the book
 * rebuilt after the reconnect. The fake's checksums are computed independently
 * (test/support/bookStreams.ts: plain strings and zlib.crc32).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBinanceSource } from '../../../../src/adapters/sources/binance/binanceSource.js';
import { createKrakenSource } from '../../../../src/adapters/sources/kraken/krakenSource.js';
import type { BookResyncData, BookSnapshotData, BookUpdateData } from '../../../../src/domain/orderbook/bookEvents.js';
import type { SourceBatch, SourceItem } from '../../../../src/domain/ports.js';
import { eventually } from '../../../contracts/polling.js';
import { referenceKrakenChecksum } from '../../../support/bookStreams.js';
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

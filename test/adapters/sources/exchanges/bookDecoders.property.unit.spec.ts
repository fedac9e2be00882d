/**
 * The book channels' decoders (Kraken v2 `book`, OKX `books`, Bybit `orderbook.50`, Binance
 * `depthUpdate` and REST depth), property-tested: any message of the documented shape decodes to
 * the canonical book event with the exchange's decimal text unchanged (Kraken's JSON-number
 * literals included, trailing zeros and all: its checksum is taken over them) and its sequence
 * fields under their canonical names; a broken field is rejected naming it; each decodes an
 * example shaped after its own documentation's (the page cited beside it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthSnapshot } from '../../../../src/adapters/sources/binance/binanceBook.js';
import { decodeBinanceMessage } from '../../../../src/adapters/sources/binance/binanceMessage.js';
import { decodeBitstampMessage } from '../../../../src/adapters/sources/bitstamp/bitstampMessage.js';
import { decodeBybitMessage } from '../../../../src/adapters/sources/bybit/bybitMessage.js';
import { decodeGeminiMessage } from '../../../../src/adapters/sources/gemini/geminiMessage.js';
import { decodeKrakenMessage } from '../../../../src/adapters/sources/kraken/krakenMessage.js';
import { decodeOkxMessage } from '../../../../src/adapters/sources/okx/okxMessage.js';
import { decodedItems, type WireDecoded } from '../../../../src/adapters/sources/wire/decoded.js';
import { BookSnapshotData, BookUpdateData } from '../../../../src/domain/orderbook/bookEvents.js';
import type { SourceItem } from '../../../../src/domain/ports.js';
import { decimalString } from '../../../support/arbitraries.js';

const msArb = fc.integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2030, 0, 1) });
const seqArb = fc.integer({ min: 2, max: 2 ** 40 });
/** Decimal text as an exchange writes it, trailing zeros included ("0.10000000"). */
const levelsArb = fc.array(fc.tuple(decimalString({ maxFrac: 8 }), decimalString({ maxFrac: 8 })), { maxLength: 5 });

const only = (d: WireDecoded): SourceItem => {
  const items = decodedItems(d);
  expect(items).toHaveLength(1);
  return items[0]!;
};
const book = (d: WireDecoded): unknown => {
  const item = only(d);
  if (item.kind === 'rejected') throw new Error(item.reason);
  expect(['bookSnapshot', 'bookUpdate']).toContain(item.kind);
  const codec = item.kind === 'bookSnapshot' ? BookSnapshotData : BookUpdateData;
  expect(codec.is(item.data)).toBe(true);
  return { kind: item.kind, data: item.data };
};
const rejectedNaming = (d: WireDecoded, field: string): void => {
  const item = only(d);
  expect(item.kind).toBe('rejected');
  if (item.kind === 'rejected') expect(item.reason).toContain(field);
};

describe('Kraken v2 book', () => {
  const frame = (type: string, bids: ReadonlyArray<[string, string]>, asks: ReadonlyArray<[string, string]>, checksum: number, ts?: number): string =>
    `{"channel":"book","type":"${type}","data":[{"symbol":"BTC/USD","bids":[${bids.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}],"asks":[${asks.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}],"checksum":${checksum}${ts === undefined ? '' : `,"timestamp":"${new Date(ts).toISOString()}"`}}]}`;
  it('any update decodes with every price and qty literal as written', () => {
    fc.assert(fc.property(levelsArb, levelsArb, fc.integer({ min: 0, max: 0xffffffff }), msArb, (bids, asks, checksum, ts) => {
      expect(book(decodeKrakenMessage(frame('update', bids, asks, checksum, ts)))).toEqual({ kind: 'bookUpdate', data: { exchange: 'kraken', symbol: 'BTC-USD', bids, asks, eventTime: ts, checksum } });
    }));
  });
  it('a snapshot without a timestamp takes the receive time', () => {
    expect(book(decodeKrakenMessage(frame('snapshot', [['45283.5', '0.10000000']], [['45285.2', '0.00100000']], 3310070434), 'kraken', () => Date.UTC(2024, 0, 1)))).toEqual({
      kind: 'bookSnapshot', data: { exchange: 'kraken', symbol: 'BTC-USD', bids: [['45283.5', '0.10000000']], asks: [['45285.2', '0.00100000']], eventTime: Date.UTC(2024, 0, 1), checksum: 3310070434 },
    });
  });
  it("an example shaped as the documentation's decodes (Spot WebSocket v2, book, update)", () => {
    // Shape and values after https://docs.kraken.com/api/docs/websocket-v2/book (update example)
    const doc = '{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5657,"qty":1098.3947558}],"asks":[],"checksum":2114181697,"timestamp":"2023-10-06T17:35:55.440295Z"}]}';
    expect(book(decodeKrakenMessage(doc))).toEqual({ kind: 'bookUpdate', data: { exchange: 'kraken', symbol: 'MATIC-USD', bids: [['0.5657', '1098.3947558']], asks: [], eventTime: Date.UTC(2023, 9, 6, 17, 35, 55, 440), checksum: 2114181697 } });
  });
  it('a broken level, checksum or timestamp is rejected naming it', () => {
    rejectedNaming(decodeKrakenMessage('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":-1,"qty":1}],"asks":[],"checksum":1,"timestamp":"2023-10-06T17:35:55.440295Z"}]}'), 'bids');
    rejectedNaming(decodeKrakenMessage('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":-5,"timestamp":"2023-10-06T17:35:55.440295Z"}]}'), 'checksum');
    rejectedNaming(decodeKrakenMessage('{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":5,"timestamp":"soon"}]}'), 'timestamp');
  });
});

describe('OKX books', () => {
  const frame = (action: string, d: Record<string, unknown>): string => JSON.stringify({ arg: { channel: 'books', instId: 'BTC-USDT' }, action, data: [d] });
  it('any update decodes with prevSeqId, seqId and the signed checksum', () => {
    fc.assert(fc.property(levelsArb, levelsArb, seqArb, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), msArb, (bids, asks, seq, checksum, ts) => {
      const d = decodeOkxMessage(frame('update', { asks: asks.map(([p, q]) => [p, q, '0', '1']), bids: bids.map(([p, q]) => [p, q, '0', '1']), ts: String(ts), checksum, prevSeqId: seq - 1, seqId: seq }));
      expect(book(d)).toEqual({ kind: 'bookUpdate', data: { exchange: 'okx', symbol: 'BTC-USDT', bids, asks, eventTime: ts, sequence: seq, prevSequence: seq - 1, checksum } });
    }));
  });
  it("an example shaped as the documentation's decodes (order book channel, snapshot; prevSeqId -1 is not kept)", () => {
    // Shape and values after https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-order-book-channel
    const doc = '{"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],["8477","7","0","2"]],"bids":[["8476.97","256","0","12"]],"ts":"1597026383085","checksum":-855196043,"prevSeqId":-1,"seqId":123456}]}';
    expect(book(decodeOkxMessage(doc))).toEqual({ kind: 'bookSnapshot', data: { exchange: 'okx', symbol: 'BTC-USDT', bids: [['8476.97', '256']], asks: [['8476.98', '415'], ['8477', '7']], eventTime: 1597026383085, sequence: 123456, checksum: -855196043 } });
  });
  it('a broken field is rejected naming it', () => {
    const valid = { asks: [], bids: [], ts: '1597026383085', checksum: 1, prevSeqId: 1, seqId: 2 };
    for (const field of ['asks', 'bids', 'ts', 'checksum', 'prevSeqId', 'seqId']) rejectedNaming(decodeOkxMessage(frame('update', { ...valid, [field]: 'x' })), field);
  });
});

describe('Bybit orderbook', () => {
  it('any delta decodes with u as its sequence and seq as the cross sequence', () => {
    fc.assert(fc.property(levelsArb, levelsArb, seqArb, seqArb, msArb, (bids, asks, u, seq, ts) => {
      const d = decodeBybitMessage(JSON.stringify({ topic: 'orderbook.50.BTCUSDT', type: 'delta', ts, data: { s: 'BTCUSDT', b: bids, a: asks, u, seq }, cts: ts }));
      expect(book(d)).toEqual({ kind: 'bookUpdate', data: { exchange: 'bybit', symbol: 'BTC-USDT', bids, asks, eventTime: ts, sequence: u, crossSequence: seq } });
    }));
  });
  it("an example shaped as the documentation's decodes (v5 Orderbook, snapshot)", () => {
    // Shape and values after https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook
    const doc = '{"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["16493.50","0.006"],["16493.00","0.100"]],"a":[["16611.00","0.029"],["16612.00","0.213"]],"u":18521288,"seq":7961638724},"cts":1672304484976}';
    expect(book(decodeBybitMessage(doc))).toEqual({ kind: 'bookSnapshot', data: { exchange: 'bybit', symbol: 'BTC-USDT', bids: [['16493.50', '0.006'], ['16493.00', '0.100']], asks: [['16611.00', '0.029'], ['16612.00', '0.213']], eventTime: 1672304484978, sequence: 18521288 } });
  });
  it('a broken field is rejected naming it', () => {
    rejectedNaming(decodeBybitMessage('{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1672304484978,"data":{"s":"BTCUSDT","b":[["x","1"]],"a":[],"u":3}}'), 'b (bids)');
    rejectedNaming(decodeBybitMessage('{"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1672304484978,"data":{"s":"BTCUSDT","b":[],"a":[],"u":-3}}'), 'u (update id)');
  });
});

describe('Binance depth', () => {
  it('any diff decodes with U as its first and u as its final update id', () => {
    fc.assert(fc.property(levelsArb, levelsArb, seqArb, fc.nat(50), msArb, (bids, asks, first, more, ts) => {
      const d = decodeBinanceMessage(JSON.stringify({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: ts, s: 'BTCUSDT', U: first, u: first + more, b: bids, a: asks } }));
      expect(book(d)).toEqual({ kind: 'bookUpdate', data: { exchange: 'binance', symbol: 'BTC-USDT', bids, asks, eventTime: ts, firstSequence: first, sequence: first + more } });
    }));
  });
  it("examples shaped as the documentation's decode (diff depth stream; REST depth)", () => {
    // Shape and values after https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#diff-depth-stream
    const doc = '{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}';
    expect(book(decodeBinanceMessage(doc))).toEqual({ kind: 'bookUpdate', data: { exchange: 'binance', symbol: 'BNB-BTC', bids: [['0.0024', '10']], asks: [['0.0026', '100']], eventTime: 1672515782136, firstSequence: 157, sequence: 160 } });
    // Shape and values after https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#order-book
    const rest = JSON.parse('{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}') as unknown;
    expect(depthSnapshot(rest, 'BNB-BTC', 'binance', Date.UTC(2024, 0, 1))).toEqual({ exchange: 'binance', symbol: 'BNB-BTC', bids: [['4.00000000', '431.00000000']], asks: [['4.00000200', '12.00000000']], eventTime: Date.UTC(2024, 0, 1), sequence: 1027024 });
    expect(() => depthSnapshot({ bids: [], asks: [] }, 'BNB-BTC', 'binance', 1)).toThrow(/lastUpdateId/);
  });
  it('u below U is rejected naming it', () => {
    rejectedNaming(decodeBinanceMessage('{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":150,"b":[],"a":[]}'), 'u (final update id)');
  });
});

describe('Gemini l2 book changes', () => {
  const at = () => Date.UTC(2024, 0, 1);
  it('the first l2_updates (with trades) is the whole book, later ones are changes, at the receive time', () => {
    fc.assert(fc.property(levelsArb, levelsArb, fc.boolean(), (bids, asks, first) => {
      const changes = [...bids.map(([p, q]) => ['buy', p, q]), ...asks.map(([p, q]) => ['sell', p, q])];
      const d = decodeGeminiMessage(JSON.stringify({ type: 'l2_updates', symbol: 'BTCUSD', changes, ...(first ? { trades: [] } : {}) }), 'gemini', true, at);
      expect(book(d)).toEqual({ kind: first ? 'bookSnapshot' : 'bookUpdate', data: { exchange: 'gemini', symbol: 'BTC-USD', bids, asks, eventTime: at() } });
    }));
  });
  it("an example shaped as the documentation's decodes: the book and its trades; without books, only the trades", () => {
    // Shape and values after https://docs.gemini.com/websocket/market-data/v2/level-2-data
    const first = '{"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","9122.04","0.00121425"],["sell","9122.07","0.98942292"]],"trades":[{"type":"trade","symbol":"BTCUSD","eventid":169841458,"timestamp":1560976400428,"price":"9122.04","quantity":"0.0073173","side":"sell","tid":2840140800042677}]}';
    const items = decodedItems(decodeGeminiMessage(first, 'gemini', true, at));
    expect(items.map((i) => i.kind)).toEqual(['bookSnapshot', 'trade']);
    expect(decodedItems(decodeGeminiMessage(first)).map((i) => i.kind)).toEqual(['trade']);
    rejectedNaming(decodeGeminiMessage('{"type":"l2_updates","symbol":"BTCUSD","changes":[["hold","1","1"]]}', 'gemini', true, at), 'changes');
  });
});

describe('Bitstamp diff_order_book', () => {
  it('any diff decodes with its microtimestamp as the sequence and its ms as the event time', () => {
    fc.assert(fc.property(levelsArb, levelsArb, msArb, fc.integer({ min: 0, max: 999 }), (bids, asks, ms, us) => {
      const micro = `${ms}${String(us).padStart(3, '0')}`;
      const d = decodeBitstampMessage(JSON.stringify({ data: { timestamp: String(Math.floor(ms / 1000)), microtimestamp: micro, bids, asks }, channel: 'diff_order_book_btcusd', event: 'data' }));
      expect(book(d)).toEqual({ kind: 'bookUpdate', data: { exchange: 'bitstamp', symbol: 'BTC-USD', bids, asks, eventTime: ms, sequence: Number(micro) } });
    }));
  });
  it('a broken microtimestamp or level is rejected naming it', () => {
    rejectedNaming(decodeBitstampMessage('{"data":{"microtimestamp":"soon","bids":[],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"}'), 'microtimestamp');
    rejectedNaming(decodeBitstampMessage('{"data":{"microtimestamp":"1643643584684047","bids":[[1,2]],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"}'), 'bids');
  });
});

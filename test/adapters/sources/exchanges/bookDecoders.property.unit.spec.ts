/**
 * The book channels' decoders (Kraken v2 `book`, OKX `books`, Bybit `orderbook.50`, Binance
 * `depthUpdate` and REST depth, Bitfinex `book` P0, Coinbase Advanced Trade `level2`), property-tested: any message of the documented shape decodes to
 * the canonical book event with the exchange's decimal text unchanged (Kraken's JSON-number
 * literals included, trailing zeros and all: its checksum is taken over them) and its sequence
 * fields under their canonical names; a broken field is rejected naming it; each decodes an
 * example shaped after its own documentation's (the page cited beside it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBitfinexConnection, createBitfinexDecoder } from '../../../../src/adapters/sources/bitfinex/bitfinexMessage.js';
import { createCoinbaseBookDecoder, decodeCoinbaseAnyFeed } from '../../../../src/adapters/sources/coinbase/coinbaseBook.js';
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
import { decimalString, positiveDecimalString } from '../../../support/arbitraries.js';

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

describe('Bitfinex book (P0)', () => {
  const NOW = Date.UTC(2024, 0, 1);
  const subscribed = '{"event":"subscribed","channel":"book","chanId":17,"symbol":"tBTCUST","prec":"P0","freq":"F0","len":"25","pair":"BTCUST"}';
  const decoder = (): ((text: string) => WireDecoded) => {
    const d = createBitfinexDecoder('bitfinex', () => NOW);
    expect(d(subscribed)).toBe('skipped');
    return d;
  };
  /** Levels with a non-zero amount (an entry of amount 0 does not exist: COUNT 0 removes). */
  const sideArb = fc.array(fc.tuple(decimalString({ maxFrac: 8 }), positiveDecimalString({ maxFrac: 8 }), fc.integer({ min: 1, max: 50 })), { maxLength: 5 });
  const entry = (p: string, count: number, amount: string): string => `[${p},${count},${amount}]`;
  it('any snapshot decodes: positive amounts are bids, negative ones asks, each literal as written', () => {
    fc.assert(fc.property(sideArb, sideArb, (bids, asks) => {
      const rows = [...bids.map(([p, q, c]) => entry(p, c, q)), ...asks.map(([p, q, c]) => entry(p, c, `-${q}`))];
      expect(book(decoder()(`[17,[${rows.join(',')}]]`))).toEqual({
        kind: 'bookSnapshot', data: { exchange: 'bitfinex', symbol: 'BTC-USDT', bids: bids.map(([p, q]) => [p, q]), asks: asks.map(([p, q]) => [p, q]), eventTime: NOW },
      });
    }));
  });
  it('any level change decodes; COUNT 0 removes the level (quantity "0")', () => {
    fc.assert(fc.property(decimalString({ maxFrac: 8 }), positiveDecimalString({ maxFrac: 8 }), fc.integer({ min: 0, max: 50 }), fc.boolean(), (p, q, count, ask) => {
      const amount = count === 0 ? (ask ? '-1' : '1') : ask ? `-${q}` : q;
      const level = [p, count === 0 ? '0' : q];
      expect(book(decoder()(`[17,${entry(p, count, amount)}]`))).toEqual({
        kind: 'bookUpdate', data: { exchange: 'bitfinex', symbol: 'BTC-USDT', bids: ask ? [] : [level], asks: ask ? [level] : [], eventTime: NOW },
      });
    }));
  });
  it('a checksum message is an update with no levels carrying the signed checksum', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (cs) => {
      expect(book(decoder()(`[17,"cs",${cs}]`))).toEqual({ kind: 'bookUpdate', data: { exchange: 'bitfinex', symbol: 'BTC-USDT', bids: [], asks: [], eventTime: NOW, checksum: cs } });
    }));
  });
  it("an example shaped as the documentation's decodes (WS Public Books, snapshot and update)", () => {
    // Shape after https://docs.bitfinex.com/reference/ws-public-books ([CHANNEL_ID, [[PRICE, COUNT, AMOUNT], ...]])
    const d = decoder();
    expect(book(d('[17,[[7254.7,3,3.3],[7254.8,1,-0.5]]]'))).toEqual({ kind: 'bookSnapshot', data: { exchange: 'bitfinex', symbol: 'BTC-USDT', bids: [['7254.7', '3.3']], asks: [['7254.8', '0.5']], eventTime: NOW } });
    expect(book(d('[17,[7254.8,0,-1]]'))).toEqual({ kind: 'bookUpdate', data: { exchange: 'bitfinex', symbol: 'BTC-USDT', bids: [], asks: [['7254.8', '0']], eventTime: NOW } });
  });
  it('a broken entry or checksum is rejected naming it; the trades channel on the same connection still decodes', () => {
    const d = decoder();
    rejectedNaming(d('[17,[7254.8,1,0]]'), 'AMOUNT');
    rejectedNaming(d('[17,[-5,1,1]]'), 'PRICE');
    rejectedNaming(d('[17,[5,-1,1]]'), 'COUNT');
    rejectedNaming(d('[17,"cs",4294967295]'), 'CHECKSUM');
    expect(d('{"event":"subscribed","channel":"trades","chanId":18,"symbol":"tBTCUST","pair":"BTCUST"}')).toBe('skipped');
    expect(only(d('[18,"te",[401597395,1574694478808,0.005,7245.3]]'))).toMatchObject({ kind: 'trade', data: { symbol: 'BTC-USDT', side: 'buy', quantity: '0.005' } });
  });
});

describe('Bitfinex stale channel ids', () => {
  const NOW = Date.UTC(2024, 0, 1);
  const subscribed = (chanId: number): string => `{"event":"subscribed","channel":"book","chanId":${chanId},"symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"25","pair":"BTCUSD"}`;
  const level = (chanId: number): string => `[${chanId},[7254.8,1,-0.5]]`;
  const update = { kind: 'bookUpdate', data: { exchange: 'bitfinex', symbol: 'BTC-USD', bids: [], asks: [['7254.8', '0.5']], eventTime: NOW } };

  it("a retired book's chanId is skipped until Bitfinex confirms, then unknown; only the latest subscription feeds the book", () => {
    const c = createBitfinexConnection('bitfinex', () => NOW);
    expect(c.decode(subscribed(17))).toBe('skipped');
    expect(book(c.decode(level(17)))).toEqual(update);
    expect(c.retireBook('BTC-USD')).toBe(17);
    // In flight between the unsubscribe and Bitfinex's answer: not applied to the book being rebuilt.
    expect(c.decode(level(17))).toBe('skipped');
    expect(c.decode('[17,"cs",123]')).toBe('skipped');
    expect(c.decode(subscribed(18))).toBe('skipped');
    expect(c.decode(level(17))).toBe('skipped');
    expect(book(c.decode(level(18)))).toEqual(update);
    expect(c.decode('{"event":"unsubscribed","status":"OK","chanId":17}')).toBe('skipped');
    rejectedNaming(c.decode(level(17)), 'channel 17');
    expect(book(c.decode(level(18)))).toEqual(update);
  });

  it('a newer subscription of the same book replaces the older one even unasked; a chanId given again is the new subscription\'s', () => {
    const c = createBitfinexConnection('bitfinex', () => NOW);
    c.decode(subscribed(17));
    c.decode(subscribed(18));
    expect(c.decode(level(17))).toBe('skipped');
    expect(book(c.decode(level(18)))).toEqual(update);
    c.retireBook('BTC-USD');
    c.decode('{"event":"unsubscribed","status":"OK","chanId":18}');
    c.decode(subscribed(17));
    expect(book(c.decode(level(17)))).toEqual(update);
    expect(c.retireBook('BTC-USD')).toBe(17);
  });

  it("a new connection (its opening info message) forgets the previous connection's chanIds", () => {
    const c = createBitfinexConnection('bitfinex', () => NOW);
    c.decode(subscribed(17));
    expect(c.decode('{"event":"info","version":2,"serverId":"x","platform":{"status":1}}')).toBe('skipped');
    rejectedNaming(c.decode(level(17)), 'channel 17');
    expect(c.retireBook('BTC-USD')).toBeUndefined();
  });
});

describe('Coinbase Advanced Trade level2', () => {
  const T = Date.UTC(2023, 1, 9, 20, 32, 50, 714);
  const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '964855Z');
  const updates = (bids: ReadonlyArray<[string, string]>, asks: ReadonlyArray<[string, string]>, eventTime: number): unknown[] => [
    ...bids.map(([p, q]) => ({ side: 'bid', event_time: iso(eventTime), price_level: p, new_quantity: q })),
    ...asks.map(([p, q]) => ({ side: 'offer', event_time: iso(eventTime), price_level: p, new_quantity: q })),
  ];
  const frame = (seq: number, type: string, bids: ReadonlyArray<[string, string]>, asks: ReadonlyArray<[string, string]>, eventTime = T): string =>
    JSON.stringify({ channel: 'l2_data', client_id: '', timestamp: iso(T), sequence_num: seq, events: [{ type, product_id: 'BTC-USD', updates: updates(bids, asks, eventTime) }] });
  it('any snapshot or update decodes: bid and offer into their sides, sequence_num as the sequence, the decimal text unchanged', () => {
    fc.assert(fc.property(fc.constantFrom('snapshot', 'update'), levelsArb, levelsArb, seqArb, msArb, (type, bids, asks, seq, ts) => {
      const kind = type === 'snapshot' ? 'bookSnapshot' : 'bookUpdate';
      // A snapshot's time is the message's; an update's is its levels' latest event_time (the message's when it has none).
      const eventTime = type === 'snapshot' || bids.length + asks.length === 0 ? T : ts;
      expect(book(decodeCoinbaseAnyFeed(frame(seq, type, bids, asks, ts)))).toEqual({ kind, data: { exchange: 'coinbase', symbol: 'BTC-USD', bids, asks, eventTime, sequence: seq } });
    }));
  });
  it("an example shaped as the documentation's decodes (Level 2 order book, snapshot)", () => {
    // Shape after https://docs.cdp.coinbase.com/advanced-trade/docs/ws-channels (level2)
    const doc = '{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"21921.74","new_quantity":"0.0028"}]}]}';
    expect(book(decodeCoinbaseAnyFeed(doc))).toEqual({ kind: 'bookSnapshot', data: { exchange: 'coinbase', symbol: 'BTC-USD', bids: [['21921.73', '0.06317902']], asks: [['21921.74', '0.0028']], eventTime: T, sequence: 0 } });
  });
  it('a broken field is rejected naming it; heartbeats and subscriptions are skipped; Exchange feed trades still decode', () => {
    rejectedNaming(decodeCoinbaseAnyFeed(frame(3, 'update', [['1.5', 'x']], [])), 'new_quantity');
    rejectedNaming(decodeCoinbaseAnyFeed(frame(3, 'replace', [], [])), 'event type');
    rejectedNaming(decodeCoinbaseAnyFeed(JSON.stringify({ channel: 'l2_data', timestamp: iso(T), sequence_num: -1, events: [] })), 'sequence_num');
    rejectedNaming(decodeCoinbaseAnyFeed(JSON.stringify({ channel: 'l2_data', timestamp: iso(T), sequence_num: 1, events: [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: 'ask', price_level: '1', new_quantity: '1' }] }] })), 'side');
    expect(decodeCoinbaseAnyFeed(JSON.stringify({ channel: 'heartbeats', client_id: '', timestamp: iso(T), sequence_num: 1, events: [{ current_time: iso(T), heartbeat_counter: 3 }] }))).toBe('skipped');
    expect(decodeCoinbaseAnyFeed('{"type":"match","trade_id":10,"sequence":50,"maker_order_id":"a","taker_order_id":"b","time":"2014-11-07T08:19:27.028459Z","product_id":"BTC-USD","size":"5.23512","price":"400.23","side":"sell"}')).toMatchObject({ kind: 'trade', data: { side: 'buy' } });
  });
  it("a connection's decoder reports every book it carried as lost when sequence_num jumps, and none when it counts on or starts again at 0", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 50 }), (run, jump) => {
      const d = createCoinbaseBookDecoder('coinbase level2', () => T);
      expect(only(d(frame(0, 'snapshot', [['1', '1']], [])))).toMatchObject({ kind: 'bookSnapshot' });
      for (let s = 1; s <= run; s++) expect(only(d(frame(s, 'update', [['1', '2']], [])))).toMatchObject({ kind: 'bookUpdate' });
      const items = decodedItems(d(frame(run + jump, 'update', [['1', '3']], [])));
      expect(items.map((i) => i.kind)).toEqual(['bookResync', 'bookUpdate']);
      expect(items[0]).toEqual({ kind: 'bookResync', data: { exchange: 'coinbase', symbol: 'BTC-USD', reason: 'gap', expected: `sequence_num ${run + 1}`, got: `sequence_num ${run + jump}`, eventTime: T } });
      // A new connection counts from 0 again: no loss.
      expect(only(d(frame(0, 'snapshot', [['1', '1']], [])))).toMatchObject({ kind: 'bookSnapshot' });
    }));
  });
});

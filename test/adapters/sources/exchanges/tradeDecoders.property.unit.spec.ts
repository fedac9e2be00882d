/**
 * The six added exchanges' trade decoders, property-tested: any valid message of the documented
 * shape decodes to the canonical trade with the exchange's decimal text unchanged (numbers sent as
 * JSON numbers included), the taker's side, epoch ms and BASE-QUOTE; a field broken against the
 * documented format is rejected with a reason naming it; garbage never throws. Each exchange also
 * decodes the example message of its own documentation (cited beside it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBitfinexDecoder } from '../../../../src/adapters/sources/bitfinex/bitfinexMessage.js';
import { decodeBitstampMessage } from '../../../../src/adapters/sources/bitstamp/bitstampMessage.js';
import { decodeBybitMessage } from '../../../../src/adapters/sources/bybit/bybitMessage.js';
import { decodeGeminiMessage } from '../../../../src/adapters/sources/gemini/geminiMessage.js';
import { decodeKrakenMessage } from '../../../../src/adapters/sources/kraken/krakenMessage.js';
import { decodeOkxMessage } from '../../../../src/adapters/sources/okx/okxMessage.js';
import { RECONNECT, SKIPPED, decodedItems, type WireDecoded } from '../../../../src/adapters/sources/wire/decoded.js';
import { validateEventData } from '../../../../src/domain/events/catalogue.js';
import type { SourceItem } from '../../../../src/domain/ports.js';
import { positiveDecimalString } from '../../../support/arbitraries.js';

const msArb = fc.integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2030, 0, 1) });
const idArb = fc.integer({ min: 0, max: 2 ** 50 });
const sideArb = fc.constantFrom('buy' as const, 'sell' as const);
/** A decimal as a JSON number literal writes it (no trailing zeros, no needless point). */
const numberTextArb = positiveDecimalString().map((s) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s).replace(/^0+(?=\d)/, ''));

const only = (d: WireDecoded): SourceItem => {
  const items = decodedItems(d);
  expect(items).toHaveLength(1);
  return items[0]!;
};
const trade = (d: WireDecoded): unknown => {
  const item = only(d);
  expect(item.kind).toBe('trade');
  if (item.kind === 'trade') expect(validateEventData('TradeObserved', item.data).ok).toBe(true);
  return item.kind === 'trade' ? item.data : undefined;
};
const rejectedNaming = (d: WireDecoded, field: string): void => {
  const item = only(d);
  expect(item.kind).toBe('rejected');
  if (item.kind === 'rejected') expect(item.reason).toContain(field);
};
const garbage = fc.oneof(fc.string(), fc.json(), fc.anything().map((u) => JSON.stringify(u) ?? 'undefined'));
const neverAFact = (decode: (t: string) => WireDecoded): void =>
  fc.assert(fc.property(garbage, (text) => {
    for (const item of decodedItems(decode(text))) expect(item.kind).toBe('rejected');
  }));

describe('Kraken v2', () => {
  const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '123Z');
  const msg = (t: Record<string, unknown>, price: string, qty: string): string =>
    JSON.stringify({ channel: 'trade', type: 'update', data: [t] }).replace('"@P"', price).replace('"@Q"', qty);
  it('any trade decodes with the price and qty literals as sent, XBT as BTC, the taker side', () => {
    fc.assert(fc.property(numberTextArb, numberTextArb, sideArb, idArb, msArb, fc.constantFrom('XBT', 'BTC'), (p, q, side, id, ms, base) => {
      const d = decodeKrakenMessage(msg({ symbol: `${base}/USD`, side, price: '@P', qty: '@Q', ord_type: 'limit', trade_id: id, timestamp: iso(ms) }, p, q));
      expect(trade(d)).toEqual({ exchange: 'kraken', symbol: 'BTC-USD', tradeId: String(id), price: p, quantity: q, side, eventTime: ms });
    }));
  });
  it('a broken field is rejected naming it', () => {
    const valid = { symbol: 'BTC/USD', side: 'buy', price: 1.5, qty: 2, ord_type: 'limit', trade_id: 5, timestamp: '2023-09-25T07:49:37.708706Z' };
    fc.assert(fc.property(fc.constantFrom('symbol', 'side', 'price', 'qty', 'trade_id', 'timestamp'), fc.constantFrom<unknown>(null, -1, 'abc', true, {}), (field, bad) => {
      rejectedNaming(decodeKrakenMessage(JSON.stringify({ channel: 'trade', type: 'update', data: [{ ...valid, [field]: bad }] })), field);
    }));
  });
  it('the documentation example decodes; heartbeat and acks skip; a refused subscribe is rejected', () => {
    // https://docs.kraken.com/api/docs/websocket-v2/trade (update example)
    const doc = '{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"sell","price":0.5117,"qty":40.0,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"}]}';
    expect(trade(decodeKrakenMessage(doc))).toEqual({ exchange: 'kraken', symbol: 'MATIC-USD', tradeId: '4665906', price: '0.5117', quantity: '40.0', side: 'sell', eventTime: Date.UTC(2023, 8, 25, 7, 49, 37, 708) });
    expect(decodeKrakenMessage('{"channel":"heartbeat"}')).toBe(SKIPPED);
    expect(decodeKrakenMessage('{"method":"subscribe","result":{"channel":"trade","snapshot":true,"symbol":"BTC/USD"},"success":true}')).toBe(SKIPPED);
    rejectedNaming(decodeKrakenMessage('{"method":"subscribe","error":"Currency pair not supported FOO/BAR","success":false}'), 'FOO/BAR');
    neverAFact(decodeKrakenMessage);
  });
});

describe('Bitstamp', () => {
  const msg = (d: Record<string, unknown>, channel = 'live_trades_btcusd'): string => JSON.stringify({ data: d, channel, event: 'trade' });
  it('any trade decodes from price_str/amount_str; type 0 is a taker buy, 1 a taker sell', () => {
    fc.assert(fc.property(positiveDecimalString(), positiveDecimalString(), fc.constantFrom(0, 1), idArb, msArb, (p, q, type, id, ms) => {
      const d = decodeBitstampMessage(msg({ id, timestamp: String(Math.floor(ms / 1000)), amount: Number(q), amount_str: q, price: Number(p), price_str: p, type, microtimestamp: `${ms}456`, buy_order_id: 1, sell_order_id: 2 }));
      expect(trade(d)).toEqual({ exchange: 'bitstamp', symbol: 'BTC-USD', tradeId: String(id), price: p, quantity: q, side: type === 0 ? 'buy' : 'sell', eventTime: ms });
    }));
  });
  it('a broken field is rejected naming it', () => {
    const valid = { id: 1, amount_str: '1', price_str: '2', type: 0, microtimestamp: '1599999999999999' };
    fc.assert(fc.property(fc.constantFrom('id', 'price_str', 'amount_str', 'type', 'microtimestamp'), fc.constantFrom<unknown>(null, -1, 'abc', 1.5, {}), (field, bad) => {
      rejectedNaming(decodeBitstampMessage(msg({ ...valid, [field]: bad })), field);
    }));
  });
  it('the documentation example decodes; acks skip; bts:error is rejected', () => {
    // https://www.bitstamp.net/websocket/v2/ (live trades, "trade" event)
    const doc = '{"data":{"id":123259447,"timestamp":"1599218442","amount":0.01,"amount_str":"0.01000000","price":10142.82,"price_str":"10142.82","type":0,"microtimestamp":"1599218442311000","buy_order_id":1283413219606528,"sell_order_id":1283413199925248},"channel":"live_trades_btcusd","event":"trade"}';
    expect(trade(decodeBitstampMessage(doc))).toMatchObject({ symbol: 'BTC-USD', price: '10142.82', quantity: '0.01000000', side: 'buy', eventTime: 1599218442311 });
    expect(decodeBitstampMessage('{"event":"bts:subscription_succeeded","channel":"live_trades_btcusd","data":{}}')).toBe(SKIPPED);
    expect(decodeBitstampMessage('{"event":"bts:request_reconnect","channel":"","data":""}')).toBe(RECONNECT);
    rejectedNaming(decodeBitstampMessage('{"event":"bts:error","channel":"","data":{"code":null,"message":"Bad subscription string."}}'), 'Bad subscription');
    neverAFact(decodeBitstampMessage);
  });
});

describe('Gemini v2', () => {
  it('any trade decodes; side is the taker side; lower or upper case symbols', () => {
    fc.assert(fc.property(positiveDecimalString(), positiveDecimalString(), sideArb, idArb, msArb, (p, q, side, tid, ms) => {
      const d = decodeGeminiMessage(JSON.stringify({ type: 'trade', symbol: 'ETHGUSD', event_id: 1, timestamp: ms, price: p, quantity: q, side, tid }));
      expect(trade(d)).toEqual({ exchange: 'gemini', symbol: 'ETH-GUSD', tradeId: String(tid), price: p, quantity: q, side, eventTime: ms });
    }));
  });
  it('a broken field is rejected naming it', () => {
    const valid = { type: 'trade', symbol: 'BTCUSD', timestamp: 1, price: '1', quantity: '2', side: 'buy', tid: 3 };
    fc.assert(fc.property(fc.constantFrom('symbol', 'timestamp', 'price', 'quantity', 'side', 'tid'), fc.constantFrom<unknown>(null, -1, 'abc', 1.5, {}), (field, bad) => {
      rejectedNaming(decodeGeminiMessage(JSON.stringify({ ...valid, [field]: bad })), field);
    }));
  });
  it('the documentation examples decode (trade, and the trades of the first l2_updates); errors are rejected', () => {
    // https://docs.gemini.com/websocket/market-data/v2/level-2-data
    const doc = '{"type":"trade","symbol":"BTCUSD","event_id":3575573053,"timestamp":151231241,"price":"9004.21000000","quantity":"0.09110000","side":"buy","tid":2840140800042677}';
    // (the example's timestamp, 151231241, is from 1970: decoded as sent, the ledger's own check would refuse it)
    expect(only(decodeGeminiMessage(doc))).toEqual({ kind: 'trade', data: { exchange: 'gemini', symbol: 'BTC-USD', tradeId: '2840140800042677', price: '9004.21000000', quantity: '0.09110000', side: 'buy', eventTime: 151231241 } });
    const first = '{"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","9122.04","0.00121425"]],"trades":[{"type":"trade","symbol":"BTCUSD","eventid":169841458,"timestamp":1560976400428,"price":"9122.04","quantity":"0.0073173","side":"sell","tid":2840140800042677}]}';
    expect(trade(decodeGeminiMessage(first))).toMatchObject({ price: '9122.04', quantity: '0.0073173', side: 'sell' });
    expect(decodeGeminiMessage('{"type":"l2_updates","symbol":"BTCUSD","changes":[["sell","9160.20","0.1921229751"]]}')).toBe(SKIPPED);
    rejectedNaming(decodeGeminiMessage('{"result":"error","reason":"InvalidJson","message":"Failed to parse"}'), 'InvalidJson');
    neverAFact(decodeGeminiMessage);
  });
});

describe('OKX v5', () => {
  it('any trade decodes; side is the taker side', () => {
    fc.assert(fc.property(positiveDecimalString(), positiveDecimalString(), sideArb, idArb, msArb, (p, q, side, id, ms) => {
      const d = decodeOkxMessage(JSON.stringify({ arg: { channel: 'trades', instId: 'SOL-USDT' }, data: [{ instId: 'SOL-USDT', tradeId: String(id), px: p, sz: q, side, ts: String(ms), count: '1' }] }));
      expect(trade(d)).toEqual({ exchange: 'okx', symbol: 'SOL-USDT', tradeId: String(id), price: p, quantity: q, side, eventTime: ms });
    }));
  });
  it('a broken field is rejected naming it', () => {
    const valid = { instId: 'BTC-USDT', tradeId: '1', px: '1', sz: '2', side: 'buy', ts: '1' };
    fc.assert(fc.property(fc.constantFrom('instId', 'tradeId', 'px', 'sz', 'side', 'ts'), fc.constantFrom<unknown>(null, -1, 'abc', '', {}), (field, bad) => {
      rejectedNaming(decodeOkxMessage(JSON.stringify({ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ ...valid, [field]: bad }] })), field);
    }));
  });
  it('the documentation example decodes; pong and acks skip; error events are rejected', () => {
    // https://www.okx.com/docs-v5/en/#order-book-trading-market-data-ws-trades-channel (push data example)
    const doc = '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"130639474","px":"42219.9","sz":"0.12060306","side":"buy","ts":"1630048897897","count":"3"}]}';
    expect(trade(decodeOkxMessage(doc))).toEqual({ exchange: 'okx', symbol: 'BTC-USDT', tradeId: '130639474', price: '42219.9', quantity: '0.12060306', side: 'buy', eventTime: 1630048897897 });
    expect(decodeOkxMessage('pong')).toBe(SKIPPED);
    expect(decodeOkxMessage('{"event":"subscribe","arg":{"channel":"trades","instId":"BTC-USDT"},"connId":"a4d3ae55"}')).toBe(SKIPPED);
    rejectedNaming(decodeOkxMessage('{"event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"}'), '60012');
    neverAFact(decodeOkxMessage);
  });
});

describe('Bybit v5 spot', () => {
  it('any trade decodes; S is the taker side', () => {
    fc.assert(fc.property(positiveDecimalString(), positiveDecimalString(), fc.constantFrom('Buy', 'Sell'), fc.uuid(), msArb, (p, q, S, i, ms) => {
      const d = decodeBybitMessage(JSON.stringify({ topic: 'publicTrade.ETHUSDC', type: 'snapshot', ts: ms + 2, data: [{ T: ms, s: 'ETHUSDC', S, v: q, p, L: 'PlusTick', i, BT: false }] }));
      expect(trade(d)).toEqual({ exchange: 'bybit', symbol: 'ETH-USDC', tradeId: i, price: p, quantity: q, side: S === 'Buy' ? 'buy' : 'sell', eventTime: ms });
    }));
  });
  it('a broken field is rejected naming it', () => {
    const valid = { T: 1, s: 'BTCUSDT', S: 'Buy', v: '1', p: '2', i: 'x' };
    fc.assert(fc.property(fc.constantFrom('T', 's', 'S', 'v', 'p', 'i'), fc.constantFrom<unknown>(null, -1, '', {}), (field, bad) => {
      rejectedNaming(decodeBybitMessage(JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: 1, data: [{ ...valid, [field]: bad }] })), `${field} (`);
    }));
  });
  it('the documentation example decodes; ack and pong skip; a refused subscribe is rejected', () => {
    // https://bybit-exchange.github.io/docs/v5/websocket/public/trade (response example)
    const doc = '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950-d8dd-5b31-9112-a178eb6023af","BT":false}]}';
    expect(trade(decodeBybitMessage(doc))).toEqual({ exchange: 'bybit', symbol: 'BTC-USDT', tradeId: '20f43950-d8dd-5b31-9112-a178eb6023af', price: '16578.50', quantity: '0.001', side: 'buy', eventTime: 1672304486865 });
    expect(decodeBybitMessage('{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}')).toBe(SKIPPED);
    rejectedNaming(decodeBybitMessage('{"success":false,"ret_msg":"error:handler not found,topic:publicTrade.FOO","conn_id":"x","op":"subscribe"}'), 'handler not found');
    neverAFact(decodeBybitMessage);
  });
});

describe('Bitfinex v2', () => {
  const subscribed = '{"event":"subscribed","channel":"trades","chanId":17470,"symbol":"tBTCUST","pair":"BTCUST"}';
  it('any te trade decodes with the AMOUNT and PRICE literals; a negative AMOUNT is a taker sell', () => {
    fc.assert(fc.property(numberTextArb.filter((s) => Number(s) > 0), numberTextArb, fc.boolean(), idArb, msArb, (amount, price, sold, id, ms) => {
      const decode = createBitfinexDecoder();
      expect(decode(subscribed)).toBe(SKIPPED);
      const d = decode(`[17470,"te",[${id},${ms},${sold ? '-' : ''}${amount},${price}]]`);
      expect(trade(d)).toEqual({ exchange: 'bitfinex', symbol: 'BTC-USDT', tradeId: String(id), price, quantity: amount, side: sold ? 'sell' : 'buy', eventTime: ms });
    }));
  });
  it('a broken row field is rejected naming it; data for an unknown channel is rejected', () => {
    const decode = createBitfinexDecoder();
    decode(subscribed);
    const names = ['ID', 'MTS', 'AMOUNT', 'PRICE'];
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 }), fc.constantFrom<unknown>(null, 'abc', true, {}), (at, bad) => {
      const row: unknown[] = [1, 2, 0.5, 100];
      row[at] = bad;
      rejectedNaming(decode(`[17470,"te",${JSON.stringify(row)}]`), names[at]!);
    }));
    rejectedNaming(decode('[99,"te",[1,2,0.5,100]]'), 'never subscribed');
  });
  it('the documentation snapshot decodes row by row; tu and hb skip; error events are rejected', () => {
    // https://docs.bitfinex.com/reference/ws-public-trades (snapshot and te examples)
    const decode = createBitfinexDecoder();
    decode('{"event":"subscribed","channel":"trades","chanId":17470,"symbol":"tBTCUSD","pair":"BTCUSD"}');
    const items = decodedItems(decode('[17470,[[401597395,1574694478808,0.005,7245.3],[401597394,1574694478767,-0.005,7245.3]]]'));
    expect(items.map((i) => i.kind === 'trade' && i.data)).toEqual([
      { exchange: 'bitfinex', symbol: 'BTC-USD', tradeId: '401597395', price: '7245.3', quantity: '0.005', side: 'buy', eventTime: 1574694478808 },
      { exchange: 'bitfinex', symbol: 'BTC-USD', tradeId: '401597394', price: '7245.3', quantity: '0.005', side: 'sell', eventTime: 1574694478767 },
    ]);
    expect(decode('[17470,"tu",[401597395,1574694478808,0.005,7245.3]]')).toBe(SKIPPED);
    expect(decode('[17470,"hb"]')).toBe(SKIPPED);
    expect(decode('{"event":"info","code":20051,"msg":"Stopping. Please try to reconnect"}')).toBe(RECONNECT);
    expect(decode('{"event":"info","code":20060,"msg":"Entering in Maintenance mode"}')).toBe(SKIPPED);
    rejectedNaming(decode('{"event":"error","msg":"symbol: invalid","code":10300}'), 'symbol: invalid');
    neverAFact(createBitfinexDecoder());
  });
});

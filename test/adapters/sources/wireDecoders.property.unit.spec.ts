/**
 * The exchange wire decoders, property-tested: generated valid messages decode to exactly the
 * right canonical fields (taker side, decimal strings unchanged, epoch ms, BASE-QUOTE); arbitrary
 * garbage and single broken fields are rejected with a reason, never thrown.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBinanceMessage } from '../../../src/adapters/sources/binance/binanceMessage.js';
import { decodeCoinbaseMessage } from '../../../src/adapters/sources/coinbase/coinbaseMessage.js';
import { parseIsoMillis } from '../../../src/adapters/sources/wire/isoMillis.js';
import { SKIPPED, type Decoded } from '../../../src/adapters/sources/wire/decoded.js';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import { decimalString, positiveDecimalString } from '../../support/arbitraries.js';

const msArb = fc.integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2030, 0, 1) });
const idArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const pairArb = fc.constantFrom(['BTC', 'USDT'], ['ETH', 'BTC'], ['SOL', 'FDUSD'], ['NKN', 'USDT'], ['1INCH', 'EUR']);

const isRejected = (d: Decoded): boolean => d !== SKIPPED && d.kind === 'rejected' && d.reason.length > 10;
const garbageTextArb = fc.oneof(
  fc.string(),
  fc.json(),
  fc.anything().map((u) => JSON.stringify(u) ?? 'undefined'),
  fc.constantFrom('', '{', 'null', '[]', '{"stream":1}', '{"stream":"x@trade","data":[]}', '{"type":7}', '{"e":"trade"}', '{"type":"match"}'),
);

describe('Binance messages', () => {
  const tradeArb = fc.record({ pair: pairArb, t: idArb, p: positiveDecimalString(), q: positiveDecimalString(), T: msArb, m: fc.boolean(), combined: fc.boolean(), agg: fc.boolean() });

  it('a trade or aggTrade decodes to the canonical trade; m=true (buyer is maker) means the taker sold', () => {
    fc.assert(fc.property(tradeArb, (g) => {
      const stream = `${g.pair.join('').toLowerCase()}@${g.agg ? 'aggTrade' : 'trade'}`;
      const payload = g.agg
        ? { e: 'aggTrade', E: g.T + 3, s: g.pair.join(''), a: g.t, p: g.p, q: g.q, f: 1, l: 2, T: g.T, m: g.m, M: true }
        : { e: 'trade', E: g.T + 3, s: g.pair.join(''), t: g.t, p: g.p, q: g.q, T: g.T, m: g.m, M: true };
      const text = JSON.stringify(g.combined ? { stream, data: payload } : payload);
      const item = decodeBinanceMessage(text);
      expect(item).toEqual({
        kind: 'trade',
        data: { exchange: 'binance', symbol: g.pair.join('-'), tradeId: g.agg ? `a${g.t}` : String(g.t), price: g.p, quantity: g.q, side: g.m ? 'sell' : 'buy', eventTime: g.T },
      });
      if (item !== SKIPPED && item.kind === 'trade') expect(validateEventData('TradeObserved', item.data).ok).toBe(true);
    }));
  });

  const klineArb = fc.record({ pair: pairArb, t: msArb, o: positiveDecimalString(), h: positiveDecimalString(), l: positiveDecimalString(), c: positiveDecimalString(), v: decimalString(), q: decimalString(), n: fc.nat(), x: fc.boolean() });

  it('a closed kline decodes to a candle; an open one is skipped', () => {
    fc.assert(fc.property(klineArb, (g) => {
      const k = { t: g.t, T: g.t + 59_999, s: g.pair.join(''), i: '1m', f: 1, L: 2, o: g.o, c: g.c, h: g.h, l: g.l, v: g.v, n: g.n, x: g.x, q: g.q, V: '0', Q: '0', B: '0' };
      const item = decodeBinanceMessage(JSON.stringify({ stream: `${g.pair.join('').toLowerCase()}@kline_1m`, data: { e: 'kline', E: g.t + 60_000, s: g.pair.join(''), k } }));
      if (!g.x) {
        expect(item).toBe(SKIPPED);
        return;
      }
      expect(item).toEqual({ kind: 'candle', data: { exchange: 'binance', symbol: g.pair.join('-'), interval: '1m', openTime: g.t, open: g.o, high: g.h, low: g.l, close: g.c, volume: g.v, quoteVolume: g.q, trades: g.n } });
    }));
  });

  it('a trade with one broken field is rejected, naming the field', () => {
    const valid = { e: 'trade', E: 1, s: 'BTCUSDT', t: 5, p: '1.5', q: '2', T: 1_700_000_000_000, m: false, M: true };
    const badValues = fc.constantFrom<unknown>(null, -1, 1.5, 'abc', '', true, [], {});
    fc.assert(fc.property(fc.constantFrom('s', 't', 'p', 'q', 'T', 'm'), badValues, (field, bad) => {
      fc.pre(!(field === 'm' && typeof bad === 'boolean'));
      const item = decodeBinanceMessage(JSON.stringify({ stream: 'btcusdt@trade', data: { ...valid, [field]: bad } }));
      expect(isRejected(item)).toBe(true);
      if (item !== SKIPPED && item.kind === 'rejected') expect(item.reason).toMatch(new RegExp(`\\b${field}\\b`));
    }));
  });

  it('subscription replies and bookTicker are skipped, a depth diff is a book update; errors from Binance are rejected', () => {
    expect(decodeBinanceMessage('{"result":null,"id":1}')).toBe(SKIPPED);
    expect(decodeBinanceMessage('{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1672515782136,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}}')).toEqual({ kind: 'bookUpdate', data: { exchange: 'binance', symbol: 'BTC-USDT', bids: [], asks: [], eventTime: 1672515782136, firstSequence: 1, sequence: 2 } });
    expect(decodeBinanceMessage('{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}')).toBe(SKIPPED);
    expect(isRejected(decodeBinanceMessage('{"code":2,"msg":"Invalid request: unknown variant"}'))).toBe(true);
  });

  it('garbage never throws and is rejected or skipped, never a fact', () => {
    fc.assert(fc.property(garbageTextArb, (text) => {
      const item = decodeBinanceMessage(text);
      if (item !== SKIPPED && item.kind !== 'rejected') {
        // Only a well-formed trade or closed kline may become a fact.
        expect(validateEventData(item.kind === 'trade' ? 'TradeObserved' : 'CandleObserved', item.data).ok).toBe(true);
      }
    }), { numRuns: 2000 });
  });
});

describe('Coinbase messages', () => {
  const isoArb = fc.tuple(msArb, fc.integer({ min: 0, max: 999 })).map(([ms, micro]) => ({
    ms,
    text: `${new Date(ms).toISOString().slice(0, -1)}${String(micro).padStart(3, '0')}Z`,
  }));
  const matchArb = fc.record({ pair: fc.constantFrom('BTC-USD', 'ETH-EUR', 'SOL-USDT'), id: idArb, seq: idArb, price: positiveDecimalString(), size: positiveDecimalString(), side: fc.constantFrom('buy', 'sell'), time: isoArb, last: fc.boolean() });

  it('match and last_match decode to the canonical trade with the taker side: the opposite of the maker side', () => {
    fc.assert(fc.property(matchArb, (g) => {
      const text = JSON.stringify({ type: g.last ? 'last_match' : 'match', trade_id: g.id, sequence: g.seq, maker_order_id: 'a', taker_order_id: 'b', time: g.time.text, product_id: g.pair, size: g.size, price: g.price, side: g.side });
      expect(decodeCoinbaseMessage(text)).toEqual({
        kind: 'trade',
        data: { exchange: 'coinbase', symbol: g.pair, tradeId: String(g.id), price: g.price, quantity: g.size, side: g.side === 'sell' ? 'buy' : 'sell', eventTime: g.time.ms },
      });
    }));
  });

  it('a match with one broken field is rejected, naming the field', () => {
    const valid = { type: 'match', trade_id: 10, sequence: 50, time: '2014-11-07T08:19:27.028459Z', product_id: 'BTC-USD', size: '5.23512', price: '400.23', side: 'sell' };
    fc.assert(fc.property(fc.constantFrom('trade_id', 'time', 'product_id', 'size', 'price', 'side'), fc.constantFrom<unknown>(null, -3, 'x', '', {}, 'btcusd', '2014-13-45'), (field, bad) => {
      const item = decodeCoinbaseMessage(JSON.stringify({ ...valid, [field]: bad }));
      expect(isRejected(item)).toBe(true);
      if (item !== SKIPPED && item.kind === 'rejected') expect(item.reason).toContain(field);
    }));
  });

  it('ISO times keep milliseconds and cut finer digits', () => {
    expect(parseIsoMillis('2014-11-07T08:19:27.028459Z')).toBe(Date.UTC(2014, 10, 7, 8, 19, 27, 28));
    expect(parseIsoMillis('2014-11-07T08:19:27Z')).toBe(Date.UTC(2014, 10, 7, 8, 19, 27));
    expect(parseIsoMillis('yesterday')).toBeUndefined();
  });

  it('subscriptions and heartbeats are skipped; errors are rejected with Coinbase\'s message', () => {
    expect(decodeCoinbaseMessage('{"type":"subscriptions","channels":[{"name":"matches","product_ids":["BTC-USD"]}]}')).toBe(SKIPPED);
    expect(decodeCoinbaseMessage('{"type":"heartbeat","sequence":90,"last_trade_id":20,"product_id":"BTC-USD","time":"2014-11-07T08:19:28.464459Z"}')).toBe(SKIPPED);
    const err = decodeCoinbaseMessage('{"type":"error","message":"Failed to subscribe","reason":"FOO-BAR is not a valid product"}');
    expect(err !== SKIPPED && err.kind === 'rejected' && err.reason.includes('FOO-BAR is not a valid product')).toBe(true);
  });

  it('garbage never throws and never becomes an invalid fact', () => {
    fc.assert(fc.property(garbageTextArb, (text) => {
      const item = decodeCoinbaseMessage(text);
      if (item !== SKIPPED && item.kind === 'trade') expect(validateEventData('TradeObserved', item.data).ok).toBe(true);
    }), { numRuns: 2000 });
  });
});

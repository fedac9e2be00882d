/**
 * The replay decoders, property-tested: generated valid rows decode to exactly the right fields;
 * garbage and single broken fields are rejected with a reason naming file and line, never thrown.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHeaderLine, parseEpochMs } from '../../../src/adapters/sources/replay/csvFields.js';
import { detectFormat, parseDumpName } from '../../../src/adapters/sources/replay/fileFormat.js';
import { decodeKlineRow } from '../../../src/adapters/sources/replay/klineRow.js';
import { decodeAggTradeRow, decodeTradeRow } from '../../../src/adapters/sources/replay/tradeRows.js';
import { decodeWsRecordingLine, SKIPPED, splitRecordingLine } from '../../../src/adapters/sources/replay/wsRecordingLine.js';
import { validateEventData } from '../../../src/domain/events/catalogue.js';
import type { SourceItem } from '../../../src/domain/ports.js';
import { decimalString, positiveDecimalString } from '../../support/arbitraries.js';

const WHERE = 'BTCUSDT-x.csv:17';
const T_MIN = Date.UTC(2017, 0, 1);
const T_MAX = Date.UTC(2030, 0, 1);
const msArb = fc.integer({ min: T_MIN, max: T_MAX });
/** A time as Binance writes it: ms, or µs (2025+ spot dumps) with any sub-ms digits. */
const stampArb = fc.tuple(msArb, fc.boolean(), fc.integer({ min: 0, max: 999 })).map(([ms, micro, sub]) => ({
  ms,
  text: micro ? String(ms * 1000 + sub) : String(ms),
}));
const boolTextArb = fc.tuple(fc.boolean(), fc.constantFrom('lower', 'Title', 'UPPER')).map(([b, style]) => {
  const s = String(b);
  return { value: b, text: style === 'lower' ? s : style === 'UPPER' ? s.toUpperCase() : s[0]!.toUpperCase() + s.slice(1) };
});
const idArb = fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String);
/** Cells that are not numbers of the kind a column wants. */
const badNumberArb = fc.constantFrom('', 'abc', '-1', '1e5', '1.2.3', 'NaN', ' ', '0x10', '١٢');

const rejectedWithWhere = (item: SourceItem | typeof SKIPPED): boolean =>
  item !== SKIPPED && item.kind === 'rejected' && item.reason.startsWith(WHERE) && item.reason.length > WHERE.length + 2;

const noThrow = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    throw new Error(`decoder threw: ${String(e)}`);
  }
};

describe('kline rows', () => {
  const klineArb = fc.record({
    open: stampArb,
    o: positiveDecimalString(),
    h: positiveDecimalString(),
    l: positiveDecimalString(),
    c: positiveDecimalString(),
    volume: decimalString(),
    quoteVolume: decimalString(),
    count: fc.integer({ min: 0, max: 10_000_000 }),
    takerBase: decimalString(),
    takerQuote: decimalString(),
  });
  type Kline = typeof klineArb extends fc.Arbitrary<infer T> ? T : never;
  const rowOf = (k: Kline, closeText: string): string =>
    [k.open.text, k.o, k.h, k.l, k.c, k.volume, closeText, k.quoteVolume, String(k.count), k.takerBase, k.takerQuote, '0'].join(',');

  it('a valid row decodes to exactly its fields (times in ms or µs, interval from the name or the span)', () => {
    fc.assert(
      fc.property(klineArb, fc.boolean(), (k, intervalFromName) => {
        const closeMs = k.open.ms + 60_000 - 1;
        const closeText = k.open.text.length > 13 ? String(closeMs * 1000 + 999) : String(closeMs);
        const item = noThrow(() =>
          decodeKlineRow(rowOf(k, closeText), { exchange: 'binance', symbol: 'BTC-USDT', interval: intervalFromName ? '1m' : undefined, where: WHERE }),
        );
        expect(item).toEqual({
          kind: 'candle',
          data: {
            exchange: 'binance',
            symbol: 'BTC-USDT',
            interval: '1m',
            openTime: k.open.ms,
            open: k.o,
            high: k.h,
            low: k.l,
            close: k.c,
            volume: k.volume,
            quoteVolume: k.quoteVolume,
            trades: k.count,
          },
        });
        if (item.kind !== 'candle') return;
        // Shape-valid for the domain codec (the OHLC order is the command's to check).
        expect(validateEventData('CandleObserved', item.data).ok).toBe(true);
      }),
    );
  });

  it('the interval is inferred from close_time − open_time when the name does not say it', () => {
    const ctx = { exchange: 'binance', symbol: 'BTC-USDT', interval: undefined, where: WHERE };
    const row = (open: number, close: number) => `${open},1,1,1,1,1,${close},1,1,1,1,0`;
    const t = Date.UTC(2023, 1, 1);
    const intervalOf = (item: SourceItem) => (item.kind === 'candle' ? (item.data as { interval: string }).interval : item.kind);
    expect(intervalOf(decodeKlineRow(row(t, t + 299_999), ctx))).toBe('5m');
    expect(intervalOf(decodeKlineRow(row(t, t + 3_599_999), ctx))).toBe('1h');
    expect(intervalOf(decodeKlineRow(row(t, t + 86_399_999), ctx))).toBe('1d');
    const odd = decodeKlineRow(row(t, t + 899_999), ctx);
    expect(odd.kind === 'rejected' && odd.reason).toMatch(/interval/);
  });

  it('a row with one broken field is rejected, naming file, line and column', () => {
    const columns = ['open_time', 'open', 'high', 'low', 'close', 'volume', undefined, 'quote_volume', 'count'];
    fc.assert(
      fc.property(klineArb, fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8), badNumberArb, (k, index, bad) => {
        const cells = rowOf(k, String(k.open.ms + 59_999)).split(',');
        cells[index] = bad;
        const item = noThrow(() => decodeKlineRow(cells.join(','), { exchange: 'binance', symbol: 'BTC-USDT', interval: '1m', where: WHERE }));
        expect(rejectedWithWhere(item)).toBe(true);
        if (item.kind === 'rejected') {
          expect(item.reason).toContain(columns[index]!);
          expect(item.raw).toBe(cells.join(','));
        }
      }),
    );
  });

  it('garbage is rejected with a reason, never thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(fc.string(), { maxLength: 14 }).map((a) => a.join(','))), (line) => {
        const item = noThrow(() => decodeKlineRow(line, { exchange: 'binance', symbol: 'BTC-USDT', interval: '1m', where: WHERE }));
        expect(rejectedWithWhere(item)).toBe(true);
      }),
    );
  });
});

describe('trade rows', () => {
  const tradeArb = fc.record({
    id: idArb,
    price: positiveDecimalString(),
    qty: positiveDecimalString(),
    quoteQty: decimalString(),
    time: stampArb,
    buyerMaker: boolTextArb,
    bestMatch: fc.option(boolTextArb, { nil: undefined }),
  });

  it('trades (spot with is_best_match, futures without) decode to exactly their fields; buyer maker → taker sold', () => {
    fc.assert(
      fc.property(tradeArb, (t) => {
        const cells = [t.id, t.price, t.qty, t.quoteQty, t.time.text, t.buyerMaker.text];
        if (t.bestMatch !== undefined) cells.push(t.bestMatch.text);
        const item = noThrow(() => decodeTradeRow(cells.join(','), { exchange: 'binance', symbol: 'ETH-USDT', where: WHERE }));
        expect(item).toEqual({
          kind: 'trade',
          data: { exchange: 'binance', symbol: 'ETH-USDT', tradeId: t.id, price: t.price, quantity: t.qty, side: t.buyerMaker.value ? 'sell' : 'buy', eventTime: t.time.ms },
        });
        if (item.kind === 'trade') expect(validateEventData('TradeObserved', item.data).ok).toBe(true);
      }),
    );
  });

  it('aggTrades decode with the aggregate id prefixed `a`', () => {
    fc.assert(
      fc.property(tradeArb, idArb, idArb, (t, first, last) => {
        const cells = [t.id, t.price, t.qty, first, last, t.time.text, t.buyerMaker.text];
        if (t.bestMatch !== undefined) cells.push(t.bestMatch.text);
        const item = noThrow(() => decodeAggTradeRow(cells.join(','), { exchange: 'binance-futures', symbol: 'ETH-USDT', where: WHERE }));
        expect(item).toEqual({
          kind: 'trade',
          data: { exchange: 'binance-futures', symbol: 'ETH-USDT', tradeId: `a${t.id}`, price: t.price, quantity: t.qty, side: t.buyerMaker.value ? 'sell' : 'buy', eventTime: t.time.ms },
        });
      }),
    );
  });

  it('a row with one broken field is rejected with a reason naming file and line', () => {
    const brokenCell = fc.oneof(
      fc.tuple(fc.constantFrom(0, 1, 2, 4), badNumberArb),
      fc.tuple(fc.constant(5), fc.oneof(badNumberArb, fc.constantFrom('yes', '1', 'maybe'))),
    );
    fc.assert(
      fc.property(tradeArb, brokenCell, (t, [index, bad]) => {
        const cells = [t.id, t.price, t.qty, t.quoteQty, t.time.text, t.buyerMaker.text, 'True'];
        cells[index] = bad;
        expect(rejectedWithWhere(noThrow(() => decodeTradeRow(cells.join(','), { exchange: 'binance', symbol: 'ETH-USDT', where: WHERE })))).toBe(true);
      }),
    );
  });

  it('garbage is rejected with a reason, never thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(fc.string(), { maxLength: 9 }).map((a) => a.join(','))), (line) => {
        const ctx = { exchange: 'binance', symbol: 'ETH-USDT', where: WHERE };
        expect(rejectedWithWhere(noThrow(() => decodeTradeRow(line, ctx)))).toBe(true);
        expect(rejectedWithWhere(noThrow(() => decodeAggTradeRow(line, ctx)))).toBe(true);
      }),
    );
  });
});

describe('websocket recording lines', () => {
  const ctx = { exchange: 'binance', where: WHERE };
  const nsArb = fc.bigInt({ min: 1_500_000_000_000_000_000n, max: 1_900_000_000_000_000_000n });
  const tradeMessageArb = fc.record({
    ns: nsArb,
    base: fc.constantFrom('BTC', 'ETH', 'SOL', 'DOGE'),
    quote: fc.constantFrom('USDT', 'FDUSD', 'BTC'),
    t: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    p: positiveDecimalString(),
    q: positiveDecimalString(),
    T: msArb,
    m: fc.boolean(),
  });

  it('a recorded trade message decodes to exactly its fields (T is the trade time; m → taker sold)', () => {
    fc.assert(
      fc.property(tradeMessageArb, (x) => {
        const s = `${x.base}${x.quote}`;
        const message = { stream: `${s.toLowerCase()}@trade`, data: { e: 'trade', E: x.T + 1, s, t: x.t, p: x.p, q: x.q, T: x.T, m: x.m, M: true } };
        const item = noThrow(() => decodeWsRecordingLine(`${x.ns} ${JSON.stringify(message)}`, ctx));
        expect(item).toEqual({
          kind: 'trade',
          data: { exchange: 'binance', symbol: `${x.base}-${x.quote}`, tradeId: String(x.t), price: x.p, quantity: x.q, side: x.m ? 'sell' : 'buy', eventTime: x.T },
        });
      }),
    );
  });

  it('book tickers, depth updates and the depth snapshot are skipped, not rejected', () => {
    const lines = [
      '1723161254087891268 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}',
      '1723161254036059768 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}}',
      '1723161254206652067 {"lastUpdateId":50093239218,"bids":[["61837.63000000","3.78826000"]],"asks":[]}',
      '1723161254206652067 {"result":null,"id":1}',
    ];
    for (const line of lines) expect(decodeWsRecordingLine(line, ctx)).toBe(SKIPPED);
  });

  it('a trade message with a broken field is rejected, naming the field', () => {
    const good = { e: 'trade', E: 1723161255343, s: 'BTCUSDT', t: 3735683259, p: '61837.63000000', q: '0.02000000', T: 1723161255342, m: true, M: true };
    const broken: Array<[string, unknown]> = [['s', 'NOTASYMBOL?'], ['t', -1], ['t', '12'], ['p', 61837.63], ['p', '-1'], ['q', '1e-3'], ['T', '1723161255342'], ['m', 'true'], ['e', 'aggTrade']];
    for (const [field, value] of broken) {
      const line = `1723161254087896568 ${JSON.stringify({ stream: 'btcusdt@trade', data: { ...good, [field]: value } })}`;
      const item = decodeWsRecordingLine(line, ctx);
      expect(rejectedWithWhere(item)).toBe(true);
      if (item !== SKIPPED && item.kind === 'rejected') expect(item.reason).toMatch(new RegExp(`\\b${field}\\b`));
    }
  });

  it('garbage lines are rejected with a reason, never thrown', () => {
    const garbage = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      nsArb.chain((ns) => fc.string().map((s) => `${ns} ${s}`)),
      nsArb.chain((ns) => fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => `${ns} ${JSON.stringify(v)}`)),
      fc.constantFrom('1723161254087896568 {"stream":"btcusdt@trade","data":{"e":"trade"', '{"stream":"btcusdt@trade"}', '1723161254087896568'),
    );
    fc.assert(
      fc.property(garbage, (line) => {
        expect(rejectedWithWhere(noThrow(() => decodeWsRecordingLine(line, ctx)))).toBe(true);
      }),
    );
  });
});

describe('recording line prefixes (shared by the importer and `tickvault decode`)', () => {
  const messageArb = fc.jsonValue().filter((v) => typeof v === 'object' && v !== null).map((v) => JSON.stringify(v));

  it('takes off a hftbacktest `<ns> ` or cryptofeed `<unix seconds>: ` prefix and gives the message back unchanged', () => {
    const nsPrefix = fc.bigInt({ min: 1_000_000_000n, max: 99_999_999_999_999_999_999n }).map((ns) => `${ns} `);
    const secondsPrefix = fc.tuple(fc.integer({ min: 100_000_000, max: 99_999_999_999 }), fc.option(fc.nat({ max: 9_999_999 }), { nil: undefined }))
      .map(([s, frac]) => (frac === undefined ? `${s}: ` : `${s}.${frac}: `));
    fc.assert(
      fc.property(fc.oneof(nsPrefix, secondsPrefix), messageArb, (prefix, json) => {
        expect(splitRecordingLine(prefix + json)).toEqual({ kind: 'message', json });
      }),
    );
  });

  it("recognises cryptofeed's session header, and nothing without a prefix", () => {
    expect(splitRecordingLine('wss://stream.binance.com:9443/stream?streams=btcusdt@trade <-> 1633998511.159679')).toEqual({ kind: 'session-header' });
    fc.assert(
      fc.property(messageArb, (json) => {
        expect(splitRecordingLine(json)).toBeUndefined();
      }),
    );
    for (const line of ['1675209600000,23125.13,23140.47', '1723161254087896568', '1633998512.06: not json', 'wss://x <-> later']) expect(splitRecordingLine(line)).toBeUndefined();
  });

  it('the cryptofeed header is skipped and its lines decode like hftbacktest lines', () => {
    const ctx = { exchange: 'binance', where: 'BINANCE.ws.1.0:2' };
    const trade = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}';
    expect(decodeWsRecordingLine('wss://stream.binance.com:9443/stream?streams=btcusdt@trade <-> 1723161250.5', ctx)).toBe(SKIPPED);
    expect(decodeWsRecordingLine(`1723161255.3521: ${trade}`, ctx)).toEqual(decodeWsRecordingLine(`1723161255352100000 ${trade}`, ctx));
    expect(decodeWsRecordingLine(`1723161255.3521: ${trade}`, ctx)).toMatchObject({ kind: 'trade' });
  });
});

describe('format detection', () => {
  const futuresHeader = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';
  const spotRow = '1675209600000,23125.13000000,23140.47000000,23124.41000000,23133.74000000,199.09155000,1675209659999,4605541.13923020,5638,105.58630000,2442612.58079880,0';

  it('tells a header row from a data row', () => {
    expect(isHeaderLine(futuresHeader)).toBe(true);
    expect(isHeaderLine('\uFEFFid,price,qty,quote_qty,time,is_buyer_maker')).toBe(true);
    fc.assert(
      fc.property(fc.nat(), fc.string(), (n, rest) => {
        expect(isHeaderLine(`${n}${rest}`)).toBe(false);
      }),
    );
  });

  it('a header means futures (unless the path says spot); no header means spot', () => {
    const name = 'BTCUSDT-1m-2023-02-01.csv';
    expect(detectFormat({ filePath: `/x/${name}`, name, firstLine: futuresHeader, symbol: undefined })).toEqual({ kind: 'klines', hasHeader: true, futures: true, symbol: 'BTC-USDT', interval: '1m' });
    expect(detectFormat({ filePath: `/x/${name}`, name, firstLine: spotRow, symbol: undefined })).toEqual({ kind: 'klines', hasHeader: false, futures: false, symbol: 'BTC-USDT', interval: '1m' });
    expect(detectFormat({ filePath: `/data/spot/${name}`, name, firstLine: futuresHeader, symbol: undefined })).toMatchObject({ futures: false });
    expect(detectFormat({ filePath: `/data/futures/um/${name}`, name, firstLine: spotRow, symbol: undefined })).toMatchObject({ futures: true });
  });

  it('reads kind, symbol and interval from data.binance.vision names; the column count decides otherwise', () => {
    expect(parseDumpName('BTCUSDT-1m-2023-02-01.csv')).toEqual({ symbol: 'BTC-USDT', kind: 'klines', interval: '1m' });
    expect(parseDumpName('ETHUSDT-trades-2024-01-01.zip')).toEqual({ symbol: 'ETH-USDT', kind: 'trades', interval: undefined });
    expect(parseDumpName('SOLFDUSD-aggTrades-2024-01.csv.gz')).toEqual({ symbol: 'SOL-FDUSD', kind: 'aggTrades', interval: undefined });
    expect(parseDumpName('notes.txt')).toEqual({ symbol: undefined, kind: undefined, interval: undefined });
    expect(detectFormat({ filePath: '/x/a.csv', name: 'a.csv', firstLine: '1,2,3,4,1700000000000,true,true', symbol: 'BTC-USDT' })).toMatchObject({ kind: 'trades' });
    expect(detectFormat({ filePath: '/x/a.csv', name: 'a.csv', firstLine: '1,2,3,4,5,1700000000000,true,true', symbol: 'BTC-USDT' })).toMatchObject({ kind: 'aggTrades' });
    expect(detectFormat({ filePath: '/x/r.gz', name: 'r.gz', firstLine: '1723161254087891268 {"stream":"x"}', symbol: undefined })).toEqual({ kind: 'ws-recording' });
  });

  it('says why when it cannot tell the format, symbol or interval', () => {
    expect(detectFormat({ filePath: '/x/a.csv', name: 'a.csv', firstLine: '1,2,3', symbol: 'BTC-USDT' })).toMatchObject({ error: expect.stringMatching(/cannot tell the format/) });
    expect(detectFormat({ filePath: '/x/a.csv', name: 'a.csv', firstLine: spotRow, symbol: undefined })).toMatchObject({ error: expect.stringMatching(/cannot tell the symbol/) });
    expect(detectFormat({ filePath: '/x/BTCUSDT-15m-2023-02-01.csv', name: 'BTCUSDT-15m-2023-02-01.csv', firstLine: spotRow, symbol: undefined })).toMatchObject({ error: expect.stringMatching(/15m/) });
  });

  it('normalises ms, µs and ns timestamps to ms by magnitude', () => {
    fc.assert(
      fc.property(msArb, fc.integer({ min: 0, max: 999_999 }), (ms, sub) => {
        expect(parseEpochMs(String(ms))).toBe(ms);
        expect(parseEpochMs(String(ms * 1000 + (sub % 1000)))).toBe(ms);
        expect(parseEpochMs(`${ms}${String(sub).padStart(6, '0')}`)).toBe(ms);
      }),
    );
    expect(parseEpochMs('-5')).toBeUndefined();
    expect(parseEpochMs('1.5')).toBeUndefined();
  });
});

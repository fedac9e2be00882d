/**
 * What the loopback fake exchange (fakeExchange.ts) says when it plays Kraken, Bitstamp, Gemini,
 * OKX, Bybit or Bitfinex: each one's documented subscription answer (with the recent trades some
 * send on every subscribe), its live trade frame, its answers to keep-alives, its REST trade
 * history honouring the documented query parameters (since/start/timestamp/limit, page cursor),
 * and its instruments list. One symbol's market is a list of trades numbered 1, 2, 3...; the
 * connector suite (test/adapters/sources/exchanges/tradeConnectors.int.spec.ts) scripts the
 * trades and the disconnects, and checks what the connector made of them.
 */
import type { TradeData } from '../../src/domain/events/market.js';
import { createBitfinexSource } from '../../src/adapters/sources/bitfinex/bitfinexSource.js';
import { createBitstampSource } from '../../src/adapters/sources/bitstamp/bitstampSource.js';
import { createBybitSource } from '../../src/adapters/sources/bybit/bybitSource.js';
import { createGeminiSource } from '../../src/adapters/sources/gemini/geminiSource.js';
import { createKrakenSource } from '../../src/adapters/sources/kraken/krakenSource.js';
import { createOkxSource } from '../../src/adapters/sources/okx/okxSource.js';
import type { LiveSourceOptions } from '../../src/adapters/sources/wire/liveSourceOptions.js';
import type { StreamingSource } from '../../src/adapters/sources/wire/streamingSource.js';
import { startFakeExchange, type FakeConnection, type FakeExchange } from './fakeExchange.js';

/** One trade of the fake market, numbered from 1, a second apart. */
export interface FakeTrade {
  readonly id: number;
  /** Epoch ms, whole seconds (so exchanges that give REST times in seconds agree with the stream). */
  readonly time: number;
  /** Decimal texts with trailing zeros, which a decoder that went through a double would lose. */
  readonly price: string;
  readonly qty: string;
  readonly side: 'buy' | 'sell';
}

const T0 = Date.UTC(2024, 7, 8, 23, 0);
export const fakeTrade = (id: number): FakeTrade => ({ id, time: T0 + id * 1000, price: `${60_000 + id}.10`, qty: `0.${(id % 9) + 1}0`, side: id % 2 === 0 ? 'buy' : 'sell' });

/** The canonical trade a connector must make of `t`. */
export const canonicalTrade = (exchange: string, symbol: string, t: FakeTrade): TradeData =>
  ({ exchange, symbol, tradeId: String(t.id), price: t.price, quantity: t.qty, side: t.side, eventTime: t.time });

export interface ExchangeProtocol {
  readonly exchange: string;
  /** The canonical symbol the suite follows, and the exchange's names for it. */
  readonly symbol: string;
  readonly create: (o: LiveSourceOptions) => StreamingSource;
  /** The messages the connector must send after each connect to follow `symbol`, parsed. */
  readonly subscription: readonly unknown[];
  /** The exchange's frames in answer to a client message; `history` is every trade so far, oldest first. */
  readonly answer: (message: string, history: readonly FakeTrade[]) => string[];
  /** A live trade frame. */
  readonly live: (t: FakeTrade) => string;
  /**
   * The REST answer to a GET (path and query), from the market's history: a JSON text as the
   * exchange writes it (number literals and all), or a value to serialise; undefined answers 404.
   */
  readonly rest: (url: URL, history: readonly FakeTrade[]) => unknown;
  /**
   * How a lost connection is made up for: trade ids that count trades (a gap healed by id), or a
   * catch-up from REST after every reconnect; `request` is the REST call the suite expects after
   * the connection dropped following trade `last`.
   */
  readonly healing: { readonly by: 'trade-id gap' | 'catch-up'; readonly request: (last: FakeTrade) => string };
  /** Frames the documentation allows but filled wrongly, and what each rejection must say. */
  readonly malformed: ReadonlyArray<{ readonly frame: string; readonly reason: RegExp }>;
  /** The application keep-alive the connector sends, where the exchange wants one. */
  readonly keepAlive?: string;
  /** The exchange's frame asking the client to reconnect, where it has one. */
  readonly reconnectRequest?: string;
  /** The instruments list `all-usd`/`all-usdt` reads, and the subscription it must lead to. */
  readonly instruments: { readonly path: string; readonly body: unknown; readonly choice: 'all-usd' | 'all-usdt'; readonly subscription: readonly unknown[] };
}

const newestFirst = (list: readonly FakeTrade[]): FakeTrade[] => [...list].reverse();
const seconds = (ms: number): number => Math.floor(ms / 1000);
const isoMicros = (ms: number): string => new Date(ms).toISOString().replace('Z', '123Z');
const json = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

// Kraken spot WebSocket v2 and REST /0/public.
const KRAKEN_SNAPSHOT = 50;
/** Trades per REST page; Kraken's is 1000, a test may make it smaller to see the paging. */
export const krakenRestPage = { size: 1000 };
const krakenRow = (t: FakeTrade): string => `{"symbol":"BTC/USD","side":"${t.side}","price":${t.price},"qty":${t.qty},"ord_type":"limit","trade_id":${t.id},"timestamp":"${isoMicros(t.time)}"}`;
const krakenTrades = (type: string, list: readonly FakeTrade[]): string => `{"channel":"trade","type":"${type}","data":[${list.map(krakenRow).join(',')}]}`;
/** Kraken's REST `last` cursor and `since` in nanoseconds; a trade's "time" in seconds with fraction digits. */
const krakenNanos = (t: FakeTrade): bigint => BigInt(t.time) * 1_000_000n + 123_000n;
const kraken: ExchangeProtocol = {
  exchange: 'kraken',
  symbol: 'BTC-USD',
  create: createKrakenSource,
  subscription: [{ method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD'], snapshot: true } }],
  answer: (message, history) => {
    const m = json(message);
    if (m['method'] !== 'subscribe') return [];
    return [
      '{"method":"subscribe","result":{"channel":"trade","snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"2024-08-08T23:00:00.000000Z","time_out":"2024-08-08T23:00:00.000100Z"}',
      krakenTrades('snapshot', history.slice(-KRAKEN_SNAPSHOT)),
    ];
  },
  live: (t) => krakenTrades('update', [t]),
  rest: (url, history) => {
    if (url.pathname === '/0/public/AssetPairs') return kraken.instruments.body;
    if (url.pathname !== '/0/public/Trades') return undefined;
    if (url.searchParams.get('pair') !== 'XBTUSD') return { error: ['EQuery:Unknown asset pair'] };
    const since = BigInt(url.searchParams.get('since') ?? '0');
    // `since` is seconds, or the nanosecond cursor of a previous page.
    const after = since < 10_000_000_000n ? history.filter((t) => BigInt(t.time) >= since * 1000n) : history.filter((t) => krakenNanos(t) > since);
    const page = after.slice(0, krakenRestPage.size);
    const rows = page.map((t) => `["${t.price}","${t.qty}",${seconds(t.time)}.${String(t.time % 1000).padStart(3, '0')}123,"${t.side[0]!}","l","",${t.id}]`);
    const last = page.at(-1);
    return `{"error":[],"result":{"XXBTZUSD":[${rows.join(',')}],"last":"${last === undefined ? since : krakenNanos(last)}"}}`;
  },
  healing: { by: 'trade-id gap', request: (last) => `/0/public/Trades?pair=XBTUSD&since=${seconds(last.time)}` },
  malformed: [
    { frame: '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":"60000.1","qty":0.5,"ord_type":"limit","trade_id":7,"timestamp":"2024-08-08T23:00:07.000000Z"}]}', reason: /price must be a non-negative number/ },
    { frame: '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":60000.1,"qty":0.5,"ord_type":"limit","trade_id":7,"timestamp":"yesterday"}]}', reason: /timestamp must be an RFC 3339 time/ },
    { frame: '{"method":"subscribe","error":"Currency pair not supported FOO/BAR","success":false}', reason: /refused by Kraken: "Currency pair not supported FOO\/BAR"/ },
  ],
  instruments: {
    path: '/0/public/AssetPairs',
    body: { error: [], result: {
      XXBTZUSD: { altname: 'XBTUSD', wsname: 'XBT/USD', quote: 'ZUSD', status: 'online' },
      XETHZUSD: { altname: 'ETHUSD', wsname: 'ETH/USD', quote: 'ZUSD', status: 'online' },
      XETHXXBT: { altname: 'ETHXBT', wsname: 'ETH/XBT', quote: 'XXBT', status: 'online' },
      DOTUSD: { altname: 'DOTUSD', wsname: 'DOT/USD', quote: 'ZUSD', status: 'cancel_only' },
    } },
    choice: 'all-usd',
    subscription: [{ method: 'subscribe', params: { channel: 'trade', symbol: ['BTC/USD', 'ETH/USD'], snapshot: true } }],
  },
};

// Bitstamp WebSocket v2 and REST /api/v2.
const bitstampLive = (t: FakeTrade): string => JSON.stringify({
  data: { id: t.id, timestamp: String(seconds(t.time)), amount: Number(t.qty), amount_str: t.qty, price: Number(t.price), price_str: t.price, type: t.side === 'buy' ? 0 : 1, microtimestamp: `${t.time}000`, buy_order_id: 1_780_000_000_000 + t.id, sell_order_id: 1_780_000_000_500 + t.id },
  channel: 'live_trades_btcusd',
  event: 'trade',
});
const bitstamp: ExchangeProtocol = {
  exchange: 'bitstamp',
  symbol: 'BTC-USD',
  create: createBitstampSource,
  subscription: [{ event: 'bts:subscribe', data: { channel: 'live_trades_btcusd' } }],
  answer: (message) => {
    const m = json(message);
    return m['event'] === 'bts:subscribe' ? [JSON.stringify({ event: 'bts:subscription_succeeded', channel: (m['data'] as { channel: string }).channel, data: {} })] : [];
  },
  live: bitstampLive,
  rest: (url, history) => {
    if (url.pathname === '/api/v2/trading-pairs-info/') return bitstamp.instruments.body;
    if (url.pathname !== '/api/v2/transactions/btcusd/' || url.searchParams.get('time') !== 'hour') return undefined;
    // Every trade of the fake market is within the hour; newest first, numbers as text.
    return newestFirst(history).map((t) => ({ date: String(seconds(t.time)), tid: String(t.id), amount: t.qty, type: t.side === 'buy' ? '0' : '1', price: t.price }));
  },
  healing: { by: 'catch-up', request: () => '/api/v2/transactions/btcusd/?time=hour' },
  malformed: [
    { frame: '{"data":{"id":7,"amount_str":"0.5","price_str":"60000.1","type":2,"microtimestamp":"1723158007000000"},"channel":"live_trades_btcusd","event":"trade"}', reason: /data\.type \(the taker's side\) must be 0 \(buy\) or 1 \(sell\)/ },
    { frame: '{"data":{"id":7,"amount_str":"0.5","price_str":"6e4","type":0,"microtimestamp":"1723158007000000"},"channel":"live_trades_btcusd","event":"trade"}', reason: /data\.price_str must be a decimal string/ },
    { frame: '{"event":"bts:error","channel":"","data":{"code":null,"message":"Bad subscription string."}}', reason: /error from Bitstamp: "Bad subscription string\."/ },
  ],
  reconnectRequest: '{"event":"bts:request_reconnect","channel":"","data":""}',
  instruments: {
    path: '/api/v2/trading-pairs-info/',
    body: [
      { name: 'BTC/USD', url_symbol: 'btcusd', trading: 'Enabled' },
      { name: 'BTC/EUR', url_symbol: 'btceur', trading: 'Enabled' },
      { name: 'ETH/USD', url_symbol: 'ethusd', trading: 'Enabled' },
      { name: 'LUNA/USD', url_symbol: 'lunausd', trading: 'Disabled' },
      { name: 'ETH/USDT', url_symbol: 'ethusdt', trading: 'Enabled' },
    ],
    choice: 'all-usd',
    subscription: [{ event: 'bts:subscribe', data: { channel: 'live_trades_btcusd' } }, { event: 'bts:subscribe', data: { channel: 'live_trades_ethusd' } }],
  },
};

// Gemini market data v2 and REST /v1.
const GEMINI_RECENT = 50;
const geminiTrade = (t: FakeTrade): Record<string, unknown> => ({ type: 'trade', symbol: 'BTCUSD', event_id: 3_575_573_053 + t.id, timestamp: t.time, price: t.price, quantity: t.qty, side: t.side, tid: t.id });
const gemini: ExchangeProtocol = {
  exchange: 'gemini',
  symbol: 'BTC-USD',
  create: createGeminiSource,
  subscription: [{ type: 'subscribe', subscriptions: [{ name: 'l2', symbols: ['BTCUSD'] }] }],
  answer: (message, history) => {
    if (json(message)['type'] !== 'subscribe') return [];
    // The first l2_updates of a symbol: its book and its latest trades.
    return [JSON.stringify({ type: 'l2_updates', symbol: 'BTCUSD', changes: [['buy', '60000.00', '1.5'], ['sell', '60002.00', '0.7']], trades: history.slice(-GEMINI_RECENT).map(geminiTrade) })];
  },
  live: (t) => JSON.stringify(geminiTrade(t)),
  rest: (url, history) => {
    if (url.pathname === '/v1/symbols') return gemini.instruments.body;
    if (url.pathname !== '/v1/trades/btcusd') return undefined;
    const from = Number(url.searchParams.get('timestamp') ?? 0);
    const limit = Number(url.searchParams.get('limit_trades') ?? 50);
    return newestFirst(history.filter((t) => t.time >= from)).slice(0, limit)
      .map((t) => ({ timestamp: seconds(t.time), timestampms: t.time, tid: t.id, price: t.price, amount: t.qty, exchange: 'gemini', type: t.side }));
  },
  healing: { by: 'catch-up', request: (last) => `/v1/trades/btcusd?timestamp=${last.time}&limit_trades=500` },
  malformed: [
    { frame: '{"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1723158007000,"price":"60000.1","quantity":"0.5","side":"auction","tid":7}', reason: /side \(the taker's side\) must be buy or sell/ },
    { frame: '{"type":"l2_updates","symbol":"BTCUSD","changes":[],"trades":{"tid":7}}', reason: /trades must be a list/ },
    { frame: '{"result":"error","reason":"InvalidJson","message":"Failed to parse"}', reason: /error from Gemini: "InvalidJson"/ },
  ],
  instruments: { path: '/v1/symbols', body: ['btcusd', 'ethbtc', 'ethusd', 'btcgusd', 'solusdt'], choice: 'all-usd', subscription: [{ type: 'subscribe', subscriptions: [{ name: 'l2', symbols: ['BTCUSD', 'ETHUSD'] }] }] },
};

// OKX API v5 public WebSocket and REST.
const okxRow = (t: FakeTrade): Record<string, unknown> => ({ instId: 'BTC-USDT', tradeId: String(t.id), px: t.price, sz: t.qty, side: t.side, ts: String(t.time), count: '1' });
const okx: ExchangeProtocol = {
  exchange: 'okx',
  symbol: 'BTC-USDT',
  create: createOkxSource,
  subscription: [{ op: 'subscribe', args: [{ channel: 'trades', instId: 'BTC-USDT' }] }],
  answer: (message) => {
    if (message === 'ping') return ['pong'];
    const m = json(message);
    return m['op'] === 'subscribe' ? (m['args'] as unknown[]).map((arg) => JSON.stringify({ event: 'subscribe', arg, connId: 'a4d3ae55' })) : [];
  },
  live: (t) => JSON.stringify({ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [okxRow(t)] }),
  rest: (url, history) => {
    if (url.pathname === '/api/v5/public/instruments' && url.searchParams.get('instType') === 'SPOT') return okx.instruments.body;
    if (url.pathname !== '/api/v5/market/trades' || url.searchParams.get('instId') !== 'BTC-USDT') return undefined;
    return { code: '0', msg: '', data: newestFirst(history).slice(0, Math.min(500, Number(url.searchParams.get('limit') ?? 100))).map(okxRow) };
  },
  healing: { by: 'catch-up', request: () => '/api/v5/market/trades?instId=BTC-USDT&limit=500' },
  malformed: [
    { frame: '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","tradeId":"abc","px":"60000.1","sz":"0.5","side":"buy","ts":"1723158007000"}]}', reason: /tradeId must be digits/ },
    { frame: '{"arg":{"channel":"trades","instId":"BTC-USDT"},"data":{"tradeId":"7"}}', reason: /data must be a list/ },
    { frame: '{"event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"}', reason: /error from OKX: "60012" "Invalid request"/ },
  ],
  keepAlive: 'ping',
  instruments: {
    path: '/api/v5/public/instruments?instType=SPOT',
    body: { code: '0', msg: '', data: [
      { instId: 'BTC-USDT', baseCcy: 'BTC', quoteCcy: 'USDT', state: 'live' },
      { instId: 'ETH-BTC', baseCcy: 'ETH', quoteCcy: 'BTC', state: 'live' },
      { instId: 'SOL-USDT', baseCcy: 'SOL', quoteCcy: 'USDT', state: 'live' },
      { instId: 'NEW-USDT', baseCcy: 'NEW', quoteCcy: 'USDT', state: 'preopen' },
    ] },
    choice: 'all-usdt',
    subscription: [{ op: 'subscribe', args: [{ channel: 'trades', instId: 'BTC-USDT' }, { channel: 'trades', instId: 'SOL-USDT' }] }],
  },
};

// Bybit v5 public spot WebSocket and REST.
const bybitLive = (t: FakeTrade): string => JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: t.time + 2, data: [{ T: t.time, s: 'BTCUSDT', S: t.side === 'buy' ? 'Buy' : 'Sell', v: t.qty, p: t.price, L: 'PlusTick', i: String(t.id), BT: false }] });
const bybit: ExchangeProtocol = {
  exchange: 'bybit',
  symbol: 'BTC-USDT',
  create: createBybitSource,
  subscription: [{ op: 'subscribe', args: ['publicTrade.BTCUSDT'] }],
  answer: (message) => {
    const op = json(message)['op'];
    if (op === 'ping') return ['{"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"}'];
    return op === 'subscribe' ? ['{"success":true,"ret_msg":"","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","req_id":"","op":"subscribe"}'] : [];
  },
  live: bybitLive,
  rest: (url, history) => {
    if (url.pathname === '/v5/market/instruments-info' && url.searchParams.get('category') === 'spot') return bybit.instruments.body;
    if (url.pathname !== '/v5/market/recent-trade' || url.searchParams.get('symbol') !== 'BTCUSDT') return undefined;
    // Spot keeps the latest 60 trades.
    const list = newestFirst(history).slice(0, Math.min(60, Number(url.searchParams.get('limit') ?? 1)))
      .map((t) => ({ execId: String(t.id), symbol: 'BTCUSDT', price: t.price, size: t.qty, side: t.side === 'buy' ? 'Buy' : 'Sell', time: String(t.time), isBlockTrade: false }));
    return { retCode: 0, retMsg: 'OK', result: { category: 'spot', list }, time: T0 };
  },
  healing: { by: 'catch-up', request: () => '/v5/market/recent-trade?category=spot&symbol=BTCUSDT&limit=60' },
  malformed: [
    { frame: '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1723158007000,"s":"BTCUSDT","S":"Hold","v":"0.5","p":"60000.1","i":"7"}]}', reason: /S \(the taker's side\) must be Buy or Sell/ },
    { frame: '{"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1723158007000,"s":"BTCUSDT","S":"Buy","v":"0.5","p":"60000.1","i":""}]}', reason: /i \(trade id\) must be a non-empty string/ },
    { frame: '{"success":false,"ret_msg":"error:handler not found,topic:publicTrade.FOO","conn_id":"x","op":"subscribe"}', reason: /subscribe refused by Bybit: "error:handler not found/ },
  ],
  keepAlive: '{"op":"ping"}',
  instruments: {
    path: '/v5/market/instruments-info?category=spot',
    body: { retCode: 0, retMsg: 'OK', result: { category: 'spot', list: [
      { symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading' },
      { symbol: 'ETHUSDC', baseCoin: 'ETH', quoteCoin: 'USDC', status: 'Trading' },
      { symbol: 'XRPUSDT', baseCoin: 'XRP', quoteCoin: 'USDT', status: 'Trading' },
      { symbol: 'OLDUSDT', baseCoin: 'OLD', quoteCoin: 'USDT', status: 'Closed' },
    ] } },
    choice: 'all-usdt',
    subscription: [{ op: 'subscribe', args: ['publicTrade.BTCUSDT', 'publicTrade.XRPUSDT'] }],
  },
};

// Bitfinex WebSocket v2 and REST v2; BTC-USDT is tBTCUST there.
const BITFINEX_SNAPSHOT = 30;
const CHAN_ID = 17470;
/** A trade row with its numbers written as Bitfinex writes them (AMOUNT negative when the taker sold). */
const bitfinexRow = (t: FakeTrade): string => `[${t.id},${t.time},${t.side === 'sell' ? '-' : ''}${t.qty},${t.price}]`;
const bitfinex: ExchangeProtocol = {
  exchange: 'bitfinex',
  symbol: 'BTC-USDT',
  create: createBitfinexSource,
  subscription: [{ event: 'subscribe', channel: 'trades', symbol: 'tBTCUST' }],
  answer: (message, history) => {
    const m = json(message);
    if (m['event'] !== 'subscribe') return [];
    return [
      JSON.stringify({ event: 'subscribed', channel: 'trades', chanId: CHAN_ID, symbol: m['symbol'], pair: String(m['symbol']).slice(1) }),
      // The snapshot: the latest trades, newest first.
      `[${CHAN_ID},[${newestFirst(history.slice(-BITFINEX_SNAPSHOT)).map(bitfinexRow).join(',')}]]`,
    ];
  },
  live: (t) => `[${CHAN_ID},"te",${bitfinexRow(t)}]`,
  rest: (url, history) => {
    if (url.pathname === '/v2/conf/pub:list:pair:exchange') return bitfinex.instruments.body;
    if (url.pathname !== '/v2/trades/tBTCUST/hist') return undefined;
    const start = Number(url.searchParams.get('start') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 125);
    const rows = history.filter((t) => t.time >= start).slice(0, limit);
    return `[${(url.searchParams.get('sort') === '1' ? rows : newestFirst(rows)).map(bitfinexRow).join(',')}]`;
  },
  healing: { by: 'catch-up', request: (last) => `/v2/trades/tBTCUST/hist?start=${last.time}&limit=1000&sort=1` },
  malformed: [
    { frame: `[${CHAN_ID},"te",[7,1723158007000,0,60000.1]]`, reason: /AMOUNT must be a non-zero number/ },
    { frame: '[99,"te",[7,1723158007000,0.5,60000.1]]', reason: /channel 99, which was never subscribed/ },
    { frame: '{"event":"error","msg":"symbol: invalid","code":10300}', reason: /error from Bitfinex: 10300 "symbol: invalid"/ },
  ],
  reconnectRequest: '{"event":"info","code":20051,"msg":"Stopping. Please try to reconnect"}',
  instruments: { path: '/v2/conf/pub:list:pair:exchange', body: [['BTCUSD', 'BTCUST', 'ETHUSD', 'ETHBTC', 'DOGE:USD', 'XAUT:UST']], choice: 'all-usd',
    subscription: ['tBTCUSD', 'tETHUSD', 'tDOGE:USD'].map((symbol) => ({ event: 'subscribe', channel: 'trades', symbol })) },
};

export const EXCHANGE_PROTOCOLS: readonly ExchangeProtocol[] = [kraken, bitstamp, gemini, okx, bybit, bitfinex];

export interface FakeMarket {
  readonly exchange: FakeExchange;
  /** Every trade so far, oldest first. */
  readonly history: FakeTrade[];
  /** Trade `id` happens; `to` is the connection that hears it (none: the connector is away). */
  trade(id: number, to?: FakeConnection): void;
}

/** A fake exchange speaking `p`: it answers subscriptions and keep-alives, and REST from the market's history. */
export const startFakeMarket = async (p: ExchangeProtocol): Promise<FakeMarket> => {
  const history: FakeTrade[] = [];
  const exchange = await startFakeExchange({
    http: (req, res) => {
      const body = p.rest(new URL(req.url ?? '', 'http://fake'), history);
      if (body === undefined) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    },
    onMessage: (c, message) => {
      for (const frame of p.answer(message, history)) c.socket.send(frame);
    },
  });
  return {
    exchange,
    history,
    trade: (id, to) => {
      const t = fakeTrade(id);
      history.push(t);
      to?.socket.send(p.live(t));
    },
  };
};

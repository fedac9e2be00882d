/**
 * `tickvault decode` as a subprocess: documentation examples and real recordings on stdin (as
 * recorded: time prefixes and session header included), canonical events on stdout, rejections
 * with reasons on stderr, exit 0.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requireSharedData } from '../support/sharedData.js';
import { runTickvault } from '../support/tickvaultProcess.js';

const decode = (exchange: string, input: string) => runTickvault(['decode', '--exchange', exchange], { input });

const events = (stdout: string): Array<{ type: string; data: Record<string, unknown> }> =>
  stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });

// Examples as printed in the exchanges' API documentation.
const BINANCE_TRADE_DOC = '{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}';
const BINANCE_KLINE_DOC_CLOSED = '{"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":true,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}';
const COINBASE_MATCH_DOC = '{"type":"match","trade_id":10,"sequence":50,"maker_order_id":"ac928c66-ca53-498f-9c13-a110027a60e8","taker_order_id":"132fb6ae-456b-4654-b4e0-d681ac05cea1","time":"2014-11-07T08:19:27.028459Z","product_id":"BTC-USD","size":"5.23512","price":"400.23","side":"sell"}';

describe('tickvault decode', () => {
  it('decodes Binance documentation examples, combined-stream wrapped or raw, and reports garbage on stderr', async () => {
    const input = [BINANCE_TRADE_DOC, `{"stream":"bnbbtc@kline_1m","data":${BINANCE_KLINE_DOC_CLOSED}}`, 'not json', '{"result":null,"id":1}', ''].join('\n');
    const run = await decode('binance', input);
    expect(run.code).toBe(0);
    expect(events(run.stdout)).toEqual([
      { type: 'TradeObserved', data: { exchange: 'binance', symbol: 'BNB-BTC', tradeId: '12345', price: '0.001', quantity: '100', side: 'sell', eventTime: 1672515782136 } },
      { type: 'CandleObserved', data: { exchange: 'binance', symbol: 'BNB-BTC', interval: '1m', openTime: 1672515780000, open: '0.0010', high: '0.0025', low: '0.0015', close: '0.0020', volume: '1000', quoteVolume: '1.0000', trades: 100 } },
    ]);
    expect(run.stderr).toMatch(/line 3: rejected: binance: not JSON/);
    expect(run.stderr).toMatch(/1 skipped/);
  }, 60_000);

  it('decodes the Coinbase documentation match: the maker sold, so the taker bought', async () => {
    const run = await decode('coinbase', `${COINBASE_MATCH_DOC}\n{"type":"match","product_id":"BTC-USD"}\n`);
    expect(run.code).toBe(0);
    expect(events(run.stdout)).toEqual([
      { type: 'TradeObserved', data: { exchange: 'coinbase', symbol: 'BTC-USD', tradeId: '10', price: '400.23', quantity: '5.23512', side: 'buy', eventTime: Date.UTC(2014, 10, 7, 8, 19, 27, 28) } },
    ]);
    expect(run.stderr).toMatch(/line 2: rejected: coinbase: match message: trade_id/);
  }, 60_000);

  it('decodes book frames: Coinbase Advanced Trade level2 beside its Exchange feed, Bitfinex book P0 with its checksum message', async () => {
    // Shapes after Coinbase's "Level 2 order book" (Advanced Trade) and Bitfinex's "WS Public Books" / "WebSocket Checksum".
    const l2 = '{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"21921.74","new_quantity":"0.0028"}]}]}';
    const cb = await decode('coinbase', `${l2}\n${COINBASE_MATCH_DOC}\n{"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"ask","price_level":"1","new_quantity":"1"}]}]}\n`);
    expect(cb.code).toBe(0);
    expect(events(cb.stdout).map((e) => e.type)).toEqual(['BookSnapshot', 'TradeObserved']);
    expect(events(cb.stdout)[0]!.data).toEqual({ exchange: 'coinbase', symbol: 'BTC-USD', bids: [['21921.73', '0.06317902']], asks: [['21921.74', '0.0028']], eventTime: Date.UTC(2023, 1, 9, 20, 32, 50, 714), sequence: 0 });
    expect(cb.stderr).toMatch(/line 3: rejected: coinbase: l2_data message: side must be bid or offer/);

    const bfx = ['{"event":"conf","status":"OK","flags":131072}', '{"event":"subscribed","channel":"book","chanId":17,"symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"25","pair":"BTCUSD"}', '[17,[[7254.7,3,3.3],[7254.8,1,-0.5]]]', '[17,[7254.8,0,-1]]', '[17,"cs",-1234567]', '[17,[7254.8,1,0]]', ''].join('\n');
    const bf = await decode('bitfinex', bfx);
    expect(bf.code).toBe(0);
    expect(events(bf.stdout).map((e) => [e.type, e.data['bids'], e.data['asks'], e.data['checksum']])).toEqual([
      ['BookSnapshot', [['7254.7', '3.3']], [['7254.8', '0.5']], undefined],
      ['BookUpdate', [], [['7254.8', '0']], undefined],
      ['BookUpdate', [], [], -1234567],
    ]);
    expect(bf.stderr).toMatch(/line 6: rejected: bitfinex: book message: AMOUNT/);
  }, 180_000);

  it('an unknown exchange is a usage error', async () => {
    const run = await decode('mtgox', '');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown exchange "mtgox"/);
  }, 60_000);

  const data = requireSharedData('ws-recordings/BINANCE.ws.1.0', 'binance-spot-ws-2024-08-08/btcusdt_20240808.gz');

  it.skipIf(data.skip)('decodes a real cryptofeed Binance recording piped as it is: every aggTrade and every closed kline, nothing rejected', async () => {
    data.assertAvailable();
    // cryptofeed's format: a header line `<url> <-> <time>`, then `<unix time>: <raw JSON>`.
    const recording = readFileSync(data.path('ws-recordings/BINANCE.ws.1.0'), 'utf8');
    const [header, ...lines] = recording.split('\n').filter((l) => l !== '');
    expect(header).toMatch(/^wss:\/\/\S+ <-> [\d.]+$/);
    const payloads = lines.map((l) => (JSON.parse(l.slice(l.indexOf(': ') + 2)) as { data: { e?: string; k?: { x: boolean } } }).data);
    const aggTrades = payloads.filter((d) => d.e === 'aggTrade').length;
    const closedKlines = payloads.filter((d) => d.e === 'kline' && d.k?.x === true).length;
    expect(aggTrades).toBeGreaterThan(0);
    const run = await decode('binance', recording);
    expect(run.code).toBe(0);
    const out = events(run.stdout);
    expect(out.filter((e) => e.type === 'TradeObserved')).toHaveLength(aggTrades);
    expect(out.filter((e) => e.type === 'CandleObserved')).toHaveLength(closedKlines);
    expect(run.stderr).toMatch(/ 0 rejected/);
  }, 60_000);

  it.skipIf(data.skip)('decodes the real 2024 spot recording piped as it is (`<ns> <JSON>` lines): every @trade message is a trade with its own id', async () => {
    data.assertAvailable();
    const recording = gunzipSync(readFileSync(data.path('binance-spot-ws-2024-08-08/btcusdt_20240808.gz'))).toString('utf8');
    const messages = recording.split('\n').filter((l) => l !== '').map((l) => l.slice(l.indexOf(' ') + 1));
    const tradeIds = messages.filter((m) => m.startsWith('{"stream":"btcusdt@trade"')).map((m) => String((JSON.parse(m) as { data: { t: number } }).data.t));
    expect(tradeIds.length).toBeGreaterThan(0);
    const run = await decode('binance', recording);
    expect(run.code).toBe(0);
    const trades = events(run.stdout).filter((e) => e.type === 'TradeObserved');
    expect(trades.map((t) => t.data['tradeId'])).toEqual(tradeIds);
    expect(trades.every((t) => t.data['symbol'] === 'BTC-USDT')).toBe(true);
    expect(run.stderr).toMatch(/ 0 rejected/);
  }, 120_000);
});

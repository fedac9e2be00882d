/**
 * decode: messages/s that each connector's wire decoder turns into canonical items (parse,
 * validate every field, normalise symbol and side), against plain JSON.parse of the same lines
 * in the same run. Binance lines are the real 2024 spot recording when ../shared/data is present
 * (its @trade frames, plus every other frame so skips are measured too), else generated frames of
 * the documented shape; every other exchange's lines are generated trade frames of the shape its
 * documentation gives (one trade a frame; Bitfinex's stream starts with its `subscribed` answer).
 * Book frames (`<exchange>-books`) are generated update frames of each book channel's documented
 * shape, one to four changed levels each (Bitfinex: one level a message, every other message its
 * `cs` checksum), for the exchanges whose book channel is decoded.
 * Goal: every decoder at ≥ 40% of JSON.parse. `value`/`baseline`/`ratio` are the worst connector.
 */
import { EXCHANGE_DECODERS } from '../src/adapters/sources/wire/exchangeDecoders.js';
import { RECONNECT, SKIPPED, decodedItems } from '../src/adapters/sources/wire/decoded.js';
import { binanceLines } from './support/wireLines.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const N = Number(process.env['BENCH_MESSAGES'] ?? 200_000);
const T0 = Date.UTC(2024, 7, 8);
const coinbaseLines = (): string[] => Array.from({ length: N }, (_, i) => JSON.stringify({
  type: 'match', trade_id: 10 + i, sequence: 50 + i * 3, maker_order_id: 'ac928c66-ca53-498f-9c13-a110027a60e8', taker_order_id: '132fb6ae-456b-4654-b4e0-d681ac05cea1',
  time: new Date(T0 + i * 7).toISOString().replace('Z', '459Z'), product_id: 'BTC-USD', size: '5.23512', price: (400.23 + (i % 50)).toFixed(2), side: i % 3 === 0 ? 'buy' : 'sell',
}));

const px = (i: number): string => (61_837.63 + (i % 100) / 100).toFixed(2);
const side = (i: number): string => (i % 2 === 0 ? 'buy' : 'sell');
const generated: Readonly<Record<string, (i: number) => string>> = {
  kraken: (i) => `{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"${side(i)}","price":${px(i)},"qty":0.0${(i % 97) + 1},"ord_type":"market","trade_id":${4_665_906 + i},"timestamp":"${new Date(T0 + i).toISOString().replace('Z', '708Z')}"}]}`,
  bitstamp: (i) => JSON.stringify({ data: { id: 330_000_000 + i, timestamp: String(Math.floor((T0 + i) / 1000)), amount: 0.02, amount_str: '0.02000000', price: Number(px(i)), price_str: px(i), type: i % 2, microtimestamp: `${T0 + i}123`, buy_order_id: 1_780_000_000_000 + i, sell_order_id: 1_780_000_000_500 + i }, channel: 'live_trades_btcusd', event: 'trade' }),
  gemini: (i) => JSON.stringify({ type: 'trade', symbol: 'BTCUSD', event_id: 3_575_573_053 + i, timestamp: T0 + i, price: px(i), quantity: '0.09110000', side: side(i), tid: 2_840_140_800_042_677 + i }),
  okx: (i) => JSON.stringify({ arg: { channel: 'trades', instId: 'BTC-USDT' }, data: [{ instId: 'BTC-USDT', tradeId: String(130_639_474 + i), px: px(i), sz: '0.12060306', side: side(i), ts: String(T0 + i), count: '1' }] }),
  bybit: (i) => JSON.stringify({ topic: 'publicTrade.BTCUSDT', type: 'snapshot', ts: T0 + i + 2, data: [{ T: T0 + i, s: 'BTCUSDT', S: i % 2 === 0 ? 'Buy' : 'Sell', v: '0.001', p: px(i), L: 'PlusTick', i: `2290000000${String(61_666_327 + i)}`, BT: false }] }),
  bitfinex: (i) => i === 0 ? '{"event":"subscribed","channel":"trades","chanId":17470,"symbol":"tBTCUSD","pair":"BTCUSD"}' : `[17470,"te",[${401_597_395 + i},${T0 + i},${i % 2 === 0 ? '' : '-'}0.00${(i % 89) + 1},${px(i)}]]`,
};
const generatedLines = (name: string): string[] => Array.from({ length: N }, (_, i) => generated[name]!(i));

const qtyText = (i: number): string => `0.${String(1 + (i % 997)).padStart(8, '0')}`;
const bookFrames: Readonly<Record<string, (i: number) => string>> = {
  kraken: (i) => `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":${px(i)},"qty":${qtyText(i)}},{"price":${px(i + 7)},"qty":0.00000000}],"asks":[{"price":${px(i + 50)},"qty":${qtyText(i + 3)}}],"checksum":${(i * 2_654_435_761) >>> 0},"timestamp":"${new Date(T0 + i).toISOString().replace('Z', '295Z')}"}]}`,
  okx: (i) => JSON.stringify({ arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'update', data: [{ asks: [[px(i + 50), qtyText(i), '0', '3']], bids: [[px(i), qtyText(i + 1), '0', '1'], [px(i + 9), '0', '0', '0']], ts: String(T0 + i), checksum: (i * 2_654_435_761) | 0, prevSeqId: 123_456 + i, seqId: 123_457 + i }] }),
  bybit: (i) => JSON.stringify({ topic: 'orderbook.50.BTCUSDT', type: 'delta', ts: T0 + i, data: { s: 'BTCUSDT', b: [[px(i), qtyText(i)], [px(i + 9), '0']], a: [[px(i + 50), qtyText(i + 2)]], u: 18_521_288 + i, seq: 7_961_638_724 + i }, cts: T0 + i - 2 }),
  bitstamp: (i) => JSON.stringify({ data: { timestamp: String(Math.floor((T0 + i) / 1000)), microtimestamp: `${T0 + i}684`, bids: [[px(i), qtyText(i)], [px(i + 9), '0']], asks: [[px(i + 50), qtyText(i + 2)]] }, channel: 'diff_order_book_btcusd', event: 'data' }),
  gemini: (i) => JSON.stringify({ type: 'l2_updates', symbol: 'BTCUSD', changes: [['buy', px(i), qtyText(i)], ['buy', px(i + 9), '0'], ['sell', px(i + 50), qtyText(i + 2)]] }),
  coinbase: (i) => JSON.stringify({ channel: 'l2_data', client_id: '', timestamp: new Date(T0 + i).toISOString().replace('Z', '964855Z'), sequence_num: i, events: [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: 'bid', event_time: new Date(T0 + i).toISOString().replace('Z', '123456Z'), price_level: px(i), new_quantity: qtyText(i) }, { side: 'offer', event_time: new Date(T0 + i).toISOString().replace('Z', '123456Z'), price_level: px(i + 50), new_quantity: '0' }] }] }),
  // Bitfinex: the subscription, then P0 level changes and a `cs` checksum message after each (flag 131072).
  bitfinex: (i) => i === 0 ? '{"event":"subscribed","channel":"book","chanId":17471,"symbol":"tBTCUSD","prec":"P0","freq":"F0","len":"25","pair":"BTCUSD"}' : i % 2 === 0 ? `[17471,"cs",${(i * 2_654_435_761) | 0}]` : `[17471,[${px(i)},${i % 5},${i % 5 === 0 ? 1 : i % 3 === 0 ? `-${qtyText(i)}` : qtyText(i)}]]`,
  binance: (i) => JSON.stringify({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: T0 + i, s: 'BTCUSDT', U: 157 + 3 * i, u: 159 + 3 * i, b: [[px(i), qtyText(i)], [px(i + 9), '0.00000000']], a: [[px(i + 50), qtyText(i + 2)]] } }),
};
const bookLines = (name: string): string[] => Array.from({ length: N }, (_, i) => bookFrames[name]!(i));

/** Lines per turn: the decoder and JSON.parse take turns this often, so a busy machine slows both alike. */
const CHUNK = 2_000;
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/**
 * Messages per second of `a` and of `b` over the same lines, and a/b. In each of ROUNDS rounds the
 * two take turns every CHUNK lines (warm-up, GC and other processes' load fall on both alike);
 * each figure is the median over the rounds, the ratio the median of the rounds' ratios.
 */
const rates = (lines: readonly string[], a: (line: string) => unknown, b: (line: string) => unknown): { a: number; b: number; ratio: number } => {
  let sink = 0;
  const timed = (f: (line: string) => unknown, from: number, to: number): number => {
    const t0 = performance.now();
    for (let i = from; i < to; i++) if (f(lines[i]!) !== undefined) sink++;
    return performance.now() - t0;
  };
  const ra: number[] = [];
  const rb: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let ta = 0;
    let tb = 0;
    for (let from = 0; from < lines.length; from += CHUNK) {
      const to = Math.min(lines.length, from + CHUNK);
      ta += timed(a, from, to);
      tb += timed(b, from, to);
    }
    ra.push((lines.length / ta) * 1000);
    rb.push((lines.length / tb) * 1000);
    ratios.push(tb / ta);
  }
  if (sink < 0) throw new Error('unreachable');
  return { a: median(ra), b: median(rb), ratio: median(ratios) };
};

const measure = (name: string, lines: readonly string[], exchange = name) => {
  const decode = EXCHANGE_DECODERS[exchange]!();
  const counts = { facts: 0, skipped: 0, rejected: 0 };
  for (const l of lines) {
    const d = decode(l);
    if (d === SKIPPED || d === RECONNECT) counts.skipped++;
    for (const item of decodedItems(d)) {
      if (item.kind === 'rejected') counts.rejected++;
      else counts.facts++;
    }
  }
  const r = rates(lines, decode, (l) => JSON.parse(l) as unknown);
  const result = { messages: lines.length, ...counts, value: Math.round(r.a), baseline: Math.round(r.b), ratio: Number(r.ratio.toFixed(3)) };
  console.log(`${name.padEnd(9)} ${result.value.toLocaleString('en')} msg/s decoded vs ${result.baseline.toLocaleString('en')} msg/s JSON.parse (${(result.ratio * 100).toFixed(0)}%) over ${lines.length} lines: ${counts.facts} facts, ${counts.skipped} skipped, ${counts.rejected} rejected`);
  return result;
};

const binance = binanceLines(N);
console.log(`binance lines: ${binance.from}; other exchanges: generated documented-shape trade frames; medians of ${ROUNDS} rounds, decoder and JSON.parse taking turns every ${CHUNK} lines`);
const results: Record<string, ReturnType<typeof measure>> = { binance: measure('binance', binance.lines), coinbase: measure('coinbase', coinbaseLines()) };
for (const name of Object.keys(generated)) results[name] = measure(name, generatedLines(name));
for (const name of Object.keys(bookFrames)) results[`${name}-books`] = measure(`${name}-books`, bookLines(name), name);
const worst = Object.values(results).reduce((a, b) => (a.ratio <= b.ratio ? a : b));
console.log(JSON.stringify({ bench: 'decode', value: worst.value, unit: 'messages/s', baseline: worst.baseline, ratio: worst.ratio, goalRatio: 0.4, ...results, binanceLines: binance.from }));

/** New ledger events for tests that move events around (relay, bus): trades spread over symbols, and rejections. */
import type { NewEvent } from '../../src/domain/events/envelope.js';

export const RELAY_SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT', 'ADA-USDT', 'DOGE-USDT'];

let counter = 0;
const origin = { actor: 'test', correlationId: 'c', causationId: null, source: 'test' };

/** `count` trades numbered from `from`, round-robin over RELAY_SYMBOLS. */
export const tradeEvents = (from: number, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const symbol = RELAY_SYMBOLS[n % RELAY_SYMBOLS.length]!;
    return {
      id: `trade-${process.pid}-${Date.now().toString(36)}-${++counter}`,
      type: 'TradeObserved',
      schemaVersion: 1,
      stream: `trades/binance/${symbol}/2024-01-01`,
      data: { exchange: 'binance', symbol, tradeId: String(n), price: '100.5', quantity: '0.1', side: 'buy', eventTime: 1_704_067_200_000 + n },
      meta: origin,
      dedupKey: `trade/binance/${symbol}/${n}`,
    };
  });

export const rejectedEvent = (reason: string): NewEvent => ({
  id: `rejected-${process.pid}-${++counter}`,
  type: 'InputRejected',
  schemaVersion: 1,
  stream: 'rejected/test',
  data: { reason, raw: '{"garbage":true}', source: 'test' },
  meta: origin,
});

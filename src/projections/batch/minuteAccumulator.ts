/**
 * Collects the minute slots that new events touch, per series, before they are merged with
 * what the batch store holds. Pure bookkeeping; the projector does the I/O.
 */
import type { CandleData, TradeData } from '../../domain/events/market.js';
import { addKline, addTrade, candleOfKline, EMPTY_SLOT, type MinuteSlot } from '../../domain/folds/minuteSlot.js';
import { bucketStart } from '../../domain/time.js';

export interface SymbolTouches {
  /** `${exchange}|${minute}` → slot of the new events only. */
  readonly slots: Map<string, { exchange: string; minute: number; slot: MinuteSlot }>;
  minMinute: number;
  maxMinute: number;
  maxEventTime: number;
}

export class MinuteAccumulator {
  readonly bySymbol = new Map<string, SymbolTouches>();

  private touches(symbol: string): SymbolTouches {
    let t = this.bySymbol.get(symbol);
    if (t === undefined) {
      t = { slots: new Map(), minMinute: Infinity, maxMinute: -Infinity, maxEventTime: -Infinity };
      this.bySymbol.set(symbol, t);
    }
    return t;
  }

  private update(symbol: string, exchange: string, minute: number, eventTime: number, f: (s: MinuteSlot) => MinuteSlot): void {
    const t = this.touches(symbol);
    const key = `${exchange}|${minute}`;
    const prev = t.slots.get(key);
    t.slots.set(key, { exchange, minute, slot: f(prev?.slot ?? EMPTY_SLOT) });
    if (minute < t.minMinute) t.minMinute = minute;
    if (minute > t.maxMinute) t.maxMinute = minute;
    if (eventTime > t.maxEventTime) t.maxEventTime = eventTime;
  }

  addTrade(t: TradeData): void {
    this.update(t.symbol, t.exchange, bucketStart(t.eventTime, '1m'), t.eventTime, (s) =>
      addTrade(s, { eventTime: t.eventTime, key: t.tradeId, price: t.price, quantity: t.quantity, side: t.side }),
    );
  }

  addKline(k: CandleData): void {
    const c = candleOfKline(k);
    if (c === undefined) return;
    this.update(k.symbol, k.exchange, c.bucketStart, c.closeTime, (s) => addKline(s, c));
  }

  get size(): number {
    return this.bySymbol.size;
  }
}

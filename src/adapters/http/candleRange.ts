/**
 * The range query of the candle routes (OHLCV, order flow): `interval`, `from`, `to`, `exchange`,
 * their schema and their parsing, with the same defaults and limits for both.
 */
import { InvalidInputError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import { INTERVAL_MS, INTERVALS, isInterval, MINUTE_MS, type Interval } from '../../domain/time.js';
import { describeValue } from '../../domain/validation.js';
import { MAX_CANDLES, type OhlcvQuery } from '../../read-models/ohlcv.js';
import { iso, parseInstant } from './params.js';
import { QUERY_TEXT } from './schemas/common.js';

export type CandleRangeQuerystring = { interval?: string; from?: string; to?: string; exchange?: string };

export const candleRangeQuerystring = {
  type: 'object',
  properties: { interval: QUERY_TEXT, from: QUERY_TEXT, to: QUERY_TEXT, exchange: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } },
  additionalProperties: false,
} as const;

const DEFAULT_SPAN: Record<Interval, number> = { '1m': 86_400_000, '5m': 86_400_000, '1h': 30 * 86_400_000, '1d': 365 * 86_400_000 };

/** The query named by a request's range, or InvalidInputError saying what is wrong. */
export const parseCandleRange = (symbol: string, query: CandleRangeQuerystring, clock: Clock): OhlcvQuery => {
  const interval = query.interval ?? '1m';
  if (!isInterval(interval)) throw new InvalidInputError(`interval: expected one of ${INTERVALS.join(', ')}, got ${describeValue(interval)}`);
  // By default up to the end of the current minute: the same candles as up to now (a candle
  // edge is a whole minute), and the same answer for every caller within the minute.
  const to = parseInstant(query.to, 'to') ?? Math.ceil(clock.now() / MINUTE_MS) * MINUTE_MS;
  const from = parseInstant(query.from, 'from') ?? to - DEFAULT_SPAN[interval];
  if (from >= to) throw new InvalidInputError(`from (${iso(from)}) must be before to (${iso(to)})`);
  const count = Math.ceil((to - from) / INTERVAL_MS[interval]);
  if (count > MAX_CANDLES) {
    throw new InvalidInputError(`that range holds ${count} ${interval} candles; at most ${MAX_CANDLES} per request: narrow from/to or use a larger interval`);
  }
  return { symbol, interval, from, to, ...(query.exchange === undefined ? {} : { exchange: query.exchange }) };
};

type Span = { readonly from: number; readonly to: number };

/** A merged answer's envelope with every span's ISO instants beside its epoch ms, as the schemas say. */
export const withIsoSpans = <A extends Span & { readonly sources: readonly Span[]; readonly gaps: readonly Span[] }>(answer: A) => ({
  ...answer,
  fromIso: iso(answer.from),
  toIso: iso(answer.to),
  sources: answer.sources.map((s) => ({ ...s, fromIso: iso(s.from), toIso: iso(s.to) })),
  gaps: answer.gaps.map((g) => ({ ...g, fromIso: iso(g.from), toIso: iso(g.to) })),
});

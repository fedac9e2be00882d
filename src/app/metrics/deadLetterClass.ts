/**
 * The class of a dead letter's reason, a label with few values: the reason itself is free text
 * (it quotes the input), and a metric label must not be. Reasons from the RecordObservations
 * decider start with `invalid <kind>:` or say an event time is in the future; everything else was
 * refused by the source's own decoder before it reached a command (unreadable frame or line).
 */
export const DEAD_LETTER_CLASSES = [
  'invalid_trade',
  'invalid_candle',
  'invalid_market_snapshot',
  'invalid_sentiment',
  'invalid_feed_gap',
  'future_event_time',
  'undecodable',
] as const;
export type DeadLetterClass = (typeof DEAD_LETTER_CLASSES)[number];

const INVALID_KIND: ReadonlyArray<readonly [string, DeadLetterClass]> = [
  ['invalid trade:', 'invalid_trade'],
  ['invalid candle:', 'invalid_candle'],
  ['invalid market snapshot:', 'invalid_market_snapshot'],
  ['invalid sentiment:', 'invalid_sentiment'],
  // Both "invalid feed gap:" and "invalid feed gap healing:".
  ['invalid feed gap', 'invalid_feed_gap'],
];

export const deadLetterClass = (reason: string): DeadLetterClass => {
  const kind = INVALID_KIND.find(([prefix]) => reason.startsWith(prefix))?.[1];
  if (kind === undefined) return 'undecodable';
  return / is in the future$/.test(reason) ? 'future_event_time' : kind;
};

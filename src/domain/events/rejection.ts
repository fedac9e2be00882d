/** A rejected input, kept with its reason: the dead letter. Nothing is dropped silently. */
import * as t from 'io-ts';
import { NonEmptyString } from '../validation.js';

export const InputRejectedData = t.type({
  /** Where it came from (`simulator`, `binance-ws`, `import:BTCUSDT-1m-2023-02-01.csv:17`). */
  source: NonEmptyString,
  reason: t.string,
  /** The raw input as text, cut to MAX_RAW_LENGTH characters. */
  raw: t.string,
  receivedAt: t.number,
});
export type InputRejectedData = t.TypeOf<typeof InputRejectedData>;

export const MAX_RAW_LENGTH = 4096;

export const rawText = (input: unknown): string => {
  let s: string;
  if (typeof input === 'string') s = input;
  else {
    try {
      s = JSON.stringify(input) ?? String(input);
    } catch {
      s = String(input);
    }
  }
  return s.length > MAX_RAW_LENGTH ? s.slice(0, MAX_RAW_LENGTH) : s;
};

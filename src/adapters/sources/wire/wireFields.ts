/** Small checks shared by the exchange wire decoders: each says what it wanted when it fails. */
import { isDecimalString } from '../../../domain/decimal.js';
import { isMarketSymbol } from '../../../domain/symbol.js';
import { memoByString } from './memoByString.js';

export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
export const isNonNegativeInteger = (u: unknown): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0;
export const isDecimalText = (u: unknown): u is string => typeof u === 'string' && isDecimalString(u);
const isSymbol = memoByString(isMarketSymbol);
/** A canonical BASE-QUOTE symbol as the exchange sends it (Coinbase, OKX). */
export const isSymbolText = (u: unknown): u is string => typeof u === 'string' && isSymbol(u);

/** JSON.parse that returns the reason instead of throwing. */
export const parseJson = (text: string): { ok: true; value: unknown } | { ok: false; reason: string } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
};

export const show = (u: unknown): string => {
  const s = JSON.stringify(u);
  return s === undefined ? String(u) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

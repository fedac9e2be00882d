/**
 * A social or news post, one JSON object a line: `{"id": "...", "time": ISO-8601 or epoch ms,
 * "text": "...", "symbols": ["BTC-USD"]}`; `id` (a string or integer, optional) lets a polled feed
 * tell a post it already counted from a new one posted in the same millisecond. Without `symbols`, the cashtags in the text name them (`$BTC` →
 * `BTC-USD`: sentiment is about the asset, quoted in USD by convention). Scored with the AFINN
 * lexicon (`sentiment` on npm): its comparative score (sum of word scores −5..5 over the word
 * count) is divided by 5 and clamped, giving −1 (all words maximally negative) to 1.
 */
import Sentiment from 'sentiment';
import { isMarketSymbol } from '../../../domain/symbol.js';
import { parseIsoMillis } from '../wire/isoMillis.js';
import { isNonNegativeInteger, isRecord, parseJson, show } from '../wire/wireFields.js';

export interface ScoredPost {
  /** The feed's own id of the post, when it gives one. */
  readonly id?: string;
  readonly symbols: readonly string[];
  readonly time: number;
  readonly score: number;
}

const analyzer = new Sentiment();
const CASHTAG = /\$([A-Za-z][A-Za-z0-9]{1,9})\b/g;

export const scoreText = (text: string): number => Math.max(-1, Math.min(1, analyzer.analyze(text).comparative / 5));

export const decodePost = (line: string): { ok: true; post: ScoredPost } | { ok: false; reason: string } => {
  const parsed = parseJson(line);
  if (!parsed.ok) return { ok: false, reason: `post: ${parsed.reason}` };
  const p = parsed.value;
  if (!isRecord(p)) return { ok: false, reason: 'post: not a JSON object' };
  const text = p['text'];
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: `post: text must be a non-empty string, got ${show(text)}` };
  const time = isNonNegativeInteger(p['time']) ? p['time'] : parseIsoMillis(p['time']);
  if (time === undefined) return { ok: false, reason: `post: time must be ISO-8601 or epoch ms, got ${show(p['time'])}` };
  const id = p['id'];
  if (id !== undefined && !(typeof id === 'string' && id !== '') && !isNonNegativeInteger(id)) {
    return { ok: false, reason: `post: id must be a non-empty string or an integer, got ${show(id)}` };
  }
  let symbols: string[];
  if (p['symbols'] !== undefined) {
    const list = p['symbols'];
    if (!Array.isArray(list) || !list.every((s): s is string => typeof s === 'string' && isMarketSymbol(s))) {
      return { ok: false, reason: `post: symbols must be a list like ["BTC-USD"], got ${show(list)}` };
    }
    symbols = list;
  } else symbols = [...new Set([...text.matchAll(CASHTAG)].map((m) => `${m[1]!.toUpperCase()}-USD`))].filter(isMarketSymbol);
  if (symbols.length === 0) return { ok: false, reason: 'post: names no symbol (no "symbols" and no $CASHTAG in the text)' };
  const scored = { symbols, time, score: scoreText(text) };
  return { ok: true, post: id === undefined ? scored : { id: String(id), ...scored } };
};

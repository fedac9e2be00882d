/**
 * One entry of CoinGecko's GET /coins/markets?vs_currency=usd → a MarketSnapshotObserved item.
 *   { id "bitcoin", symbol "btc", current_price, market_cap, market_cap_rank, total_volume,
 *     last_updated (ISO-8601) }
 * Figures are JSON numbers (CoinGecko sends floats); they become decimal strings without
 * exponent. A missing figure (null: CoinGecko has none) is rejected rather than guessed as 0;
 * a missing rank is kept as null (unranked assets exist). Symbol: `BTC-USD`, priced in USD.
 */
import type { MarketSnapshotData } from '../../../domain/events/market.js';
import type { SourceItem } from '../../../domain/ports.js';
import { isMarketSymbol } from '../../../domain/symbol.js';
import { parseIsoMillis } from '../wire/isoMillis.js';
import { rejected } from '../wire/decoded.js';
import { isNonNegativeInteger, isRecord, show } from '../wire/wireFields.js';

export const COINGECKO_PROVIDER = 'coingecko';

/** A finite non-negative number as a plain decimal string (no exponent), or undefined. */
export const numberToDecimalText = (n: unknown): string | undefined => {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  const s = String(n);
  if (!s.includes('e')) return s;
  // 1e-7 → "0.0000001", 1.5e21 → "1500000000000000000000"
  return n < 1 ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : BigInt(Math.round(n)).toString();
};

export const decodeCoinsMarketsEntry = (e: unknown, fetchedAt: number): SourceItem => {
  const reject = (why: string): SourceItem => rejected(`${COINGECKO_PROVIDER} /coins/markets: ${why}`, e);
  if (!isRecord(e)) return reject('entry is not an object');
  const id = e['id'];
  if (typeof id !== 'string' || id === '') return reject(`id must be a coin id, got ${show(id)}`);
  const sym = e['symbol'];
  const symbol = typeof sym === 'string' ? `${sym.toUpperCase()}-USD` : '';
  if (!isMarketSymbol(symbol)) return reject(`symbol must be a ticker like btc, got ${show(sym)}`);
  const price = numberToDecimalText(e['current_price']);
  if (price === undefined) return reject(`current_price must be a number ≥ 0, got ${show(e['current_price'])}`);
  const cap = numberToDecimalText(e['market_cap']);
  if (cap === undefined) return reject(`market_cap must be a number ≥ 0, got ${show(e['market_cap'])}`);
  const volume = numberToDecimalText(e['total_volume']);
  if (volume === undefined) return reject(`total_volume must be a number ≥ 0, got ${show(e['total_volume'])}`);
  const rank = e['market_cap_rank'];
  if (rank !== null && rank !== undefined && !isNonNegativeInteger(rank)) return reject(`market_cap_rank must be an integer or null, got ${show(rank)}`);
  const updated = e['last_updated'] === null || e['last_updated'] === undefined ? fetchedAt : parseIsoMillis(e['last_updated']);
  if (updated === undefined) return reject(`last_updated must be an ISO-8601 time, got ${show(e['last_updated'])}`);
  const data: MarketSnapshotData = {
    provider: COINGECKO_PROVIDER,
    assetId: id,
    symbol,
    priceUsd: price,
    marketCapUsd: cap,
    volume24hUsd: volume,
    rank: rank ?? null,
    eventTime: updated,
  };
  return { kind: 'snapshot', data };
};

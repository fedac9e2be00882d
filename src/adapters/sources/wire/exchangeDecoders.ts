/**
 * The wire decoder of each exchange with a streaming feed, by name (`decode --exchange`, bench).
 * Each entry makes a fresh decoder: a decoder may keep per-connection state (Bitfinex's channel
 * ids), so one reads one stream of messages. Book channels are decoded too (Gemini's l2 book
 * changes, which its trades-only connector skips; Coinbase's Advanced Trade level2 beside its
 * Exchange feed's trades; Bitfinex's book channel beside its trades).
 */
import { decodeBinanceMessage } from '../binance/binanceMessage.js';
import { createBitfinexDecoder } from '../bitfinex/bitfinexMessage.js';
import { decodeBitstampMessage } from '../bitstamp/bitstampMessage.js';
import { decodeBybitMessage } from '../bybit/bybitMessage.js';
import { decodeCoinbaseAnyFeed } from '../coinbase/coinbaseBook.js';
import { decodeGeminiMessage } from '../gemini/geminiMessage.js';
import { decodeKrakenMessage } from '../kraken/krakenMessage.js';
import { decodeOkxMessage } from '../okx/okxMessage.js';
import type { WireDecoded } from './decoded.js';

export type WireDecoder = (text: string) => WireDecoded;

export const EXCHANGE_DECODERS: Readonly<Record<string, () => WireDecoder>> = {
  binance: () => (text) => decodeBinanceMessage(text),
  coinbase: () => (text) => decodeCoinbaseAnyFeed(text),
  kraken: () => (text) => decodeKrakenMessage(text),
  bitstamp: () => (text) => decodeBitstampMessage(text),
  gemini: () => (text) => decodeGeminiMessage(text, 'gemini', true),
  okx: () => (text) => decodeOkxMessage(text),
  bybit: () => (text) => decodeBybitMessage(text),
  bitfinex: () => createBitfinexDecoder(),
};

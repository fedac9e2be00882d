/** The wire decoder of each exchange with a streaming feed, by name (`decode --exchange`, bench). */
import { decodeBinanceMessage } from '../binance/binanceMessage.js';
import { decodeCoinbaseMessage } from '../coinbase/coinbaseMessage.js';
import type { Decoded } from './decoded.js';

export const EXCHANGE_DECODERS: Readonly<Record<string, (text: string) => Decoded>> = {
  binance: (text) => decodeBinanceMessage(text),
  coinbase: (text) => decodeCoinbaseMessage(text),
};

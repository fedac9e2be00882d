/** The order-flow answer (read-models/orderFlow.ts, domain/orderflow/): the merged-candle envelope and its bars. */
import { arrayOf, epochMs, nullable, object, type Schema } from './common.js';
import { mergedEnvelope } from './market.js';

const decimal = (description: string): Schema => ({ type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', description });

export const orderFlowBar = object({
  time: epochMs,
  volume: decimal('base volume of the bar, exact'),
  takerBuyVolume: decimal('base volume of the trades whose taker bought, exact'),
  takerSellVolume: decimal('base volume of the trades whose taker sold, exact'),
  delta: decimal('takerBuyVolume − takerSellVolume'),
  cvd: decimal('cumulative volume delta: the sum of delta over the answer’s bars up to and including this one'),
  imbalance: {
    ...nullable({ type: 'number', minimum: -1, maximum: 1 }),
    description:
      'book imbalance of the bar: the touch imbalance (best bid qty − best ask qty) / (their sum), each observation held until the book’s next one or the end of its minute, time-weighted over the observed part of the bar (several exchanges: weighted by each one’s observed time); null when no book of the symbol was observed in the bar, as for bars before this process held the books',
  },
});

export const orderFlowAnswer = object({ ...mergedEnvelope, bars: arrayOf(orderFlowBar) });

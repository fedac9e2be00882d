/**
 * JSON schemas of the order-book answers (read-models/orderBooks.ts, orderBookReplay.ts): the
 * response declarations of GET /api/v1/orderbook/{symbol}, and what the OpenAPI document shows.
 */
const num = { type: 'number' } as const;
const nullableNum = { type: ['number', 'null'] } as const;
const level = { type: ['object', 'null'], properties: { price: num, quantity: num }, required: ['price', 'quantity'] } as const;
const pairs = (item: 'string' | 'number') => ({ type: 'array', items: { type: 'array', items: { type: item }, minItems: 2, maxItems: 2 } }) as const;

export const bookViewSchema = {
  type: 'object',
  properties: {
    bestBid: level,
    bestAsk: level,
    mid: nullableNum,
    spread: nullableNum,
    spreadBps: nullableNum,
    imbalance: nullableNum,
    depth: {
      type: 'array',
      items: {
        type: 'object',
        properties: { percent: num, bidQuantity: num, askQuantity: num, bidNotional: num, askNotional: num, imbalance: nullableNum },
        required: ['percent', 'bidQuantity', 'askQuantity', 'bidNotional', 'askNotional', 'imbalance'],
      },
    },
    bidLevels: { type: 'integer' },
    askLevels: { type: 'integer' },
  },
  required: ['bestBid', 'bestAsk', 'mid', 'spread', 'spreadBps', 'imbalance', 'depth', 'bidLevels', 'askLevels'],
} as const;

const exchangeBook = {
  type: 'object',
  properties: { exchange: { type: 'string' }, eventTime: { type: 'integer' }, sequence: { type: ['integer', 'null'] }, bids: pairs('string'), asks: pairs('string'), view: bookViewSchema },
  required: ['exchange', 'eventTime', 'sequence', 'bids', 'asks', 'view'],
} as const;

const arbitrage = {
  type: 'object',
  properties: { buyOn: { type: 'string' }, sellOn: { type: 'string' }, buyAt: num, sellAt: num, quantity: num, edgeBps: num },
  required: ['buyOn', 'sellOn', 'buyAt', 'sellAt', 'quantity', 'edgeBps'],
} as const;

const consolidated = {
  type: ['object', 'null'],
  properties: {
    exchanges: { type: 'array', items: { type: 'string' } },
    bids: pairs('number'),
    asks: pairs('number'),
    view: bookViewSchema,
    crossed: { type: 'boolean' },
    arbitrage: { type: 'array', items: arbitrage },
  },
  required: ['exchanges', 'bids', 'asks', 'view', 'crossed', 'arbitrage'],
} as const;

const proof = {
  type: 'object',
  properties: {
    exchange: { type: 'string' },
    files: {
      type: 'array',
      items: { type: 'object', properties: { file: { type: 'string' }, digestPosition: { type: 'integer' }, sha256: { type: 'string' }, rows: { type: 'integer' } }, required: ['file', 'digestPosition', 'sha256', 'rows'] },
    },
    verifiedThrough: { type: ['integer', 'null'] },
    openRowsApplied: { type: 'integer' },
  },
  required: ['exchange', 'files', 'verifiedThrough', 'openRowsApplied'],
} as const;

/** The live answer, and with `at` the replayed one (its `at` and `proofs` set; null and absent live). */
export const orderBookAnswerSchema = {
  type: 'object',
  properties: {
    symbol: { type: 'string' },
    depth: { type: 'integer' },
    source: { type: 'string', enum: ['live', 'lake'] },
    at: { type: ['integer', 'null'] },
    exchanges: { type: 'array', items: exchangeBook },
    consolidated,
    proofs: { type: 'array', items: proof },
  },
  required: ['symbol', 'depth', 'source', 'at', 'exchanges', 'consolidated'],
} as const;

/** Every codec: valid data round-trips through JSON unchanged; arbitrary garbage is rejected with a reason, never a throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue, isEventType, upcastEvent, validateEventData, type EventType } from '../../src/domain/events/catalogue.js';
import type { RecordedEvent } from '../../src/domain/events/envelope.js';
import { ROLES } from '../../src/domain/access/roles.js';
import { eventTimeArb, exchangeArb, garbageArb, positiveDecimalString, decimalString, symbolArb, T0, tradeArb } from '../support/arbitraries.js';

const id = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.length > 0);
const ref = fc.record({ exchange: exchangeArb, symbol: symbolArb, tradeId: id });
const severity = fc.constantFrom('info' as const, 'warning' as const, 'critical' as const);
const day = fc.integer({ min: 0, max: 400 }).map((d) => new Date(T0 + d * 86_400_000).toISOString().slice(0, 10));
/** A risk figure: a finite number, or null where the window cannot define it. */
const figure = fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null });
const roleArb = fc.constantFrom(...ROLES);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** A strategy's parameters as the event keeps them: its kind and numbers. */
const backtestParams = fc.record({ kind: fc.constantFrom('sma-crossover', 'rsi-thresholds'), fast: fc.nat(), slow: fc.nat() });
const positive = fc.integer({ min: 1, max: 1_000_000 });
const sha256 = fc.stringMatching(/^[0-9a-f]{64}$/);
const modelInterval = fc.constantFrom('1h' as const, '1d' as const);
const trendLabel = fc.constantFrom('down' as const, 'sideways' as const, 'up' as const);
const jsonRecord = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }));

const weightsArb = fc.dictionary(symbolArb, finite, { maxKeys: 5 });
const holdingsArb = fc.oneof(
  fc.record({ kind: fc.constant('weights' as const), weights: weightsArb }),
  fc.record({ kind: fc.constant('positions' as const), positions: weightsArb }),
);
const objectiveArb = fc.constantFrom('min_volatility' as const, 'max_sharpe' as const, 'efficient_return' as const, 'efficient_risk' as const);
/** The fields every RiskAssessed has, of a symbol or of a portfolio. */
const assessedArbs = {
  asOf: day,
  definitions: fc.record({
    interval: fc.constantFrom('1d' as const, '1h' as const),
    window: fc.nat(),
    annualisation: fc.constantFrom(365, 8_760),
    riskFree: fc.double({ noNaN: true, noDefaultInfinity: true }),
    returns: fc.constant('simple' as const),
    historicalVar: fc.constant('linear-quantile' as const),
    parametricVar: fc.constant('normal' as const),
  }),
  observations: fc.nat(),
  missingBars: fc.nat(),
  figures: fc.record({
    meanReturn: figure,
    volatility: figure,
    sharpe: figure,
    sortino: figure,
    maxDrawdown: figure,
    var95: fc.record({ historicalVar: figure, historicalCvar: figure, parametricVar: figure }),
    var99: fc.record({ historicalVar: figure, historicalCvar: figure, parametricVar: figure }),
  }),
  batch: fc.option(fc.record({ view: id, version: fc.nat(), computedThrough: eventTimeArb }), { nil: null }),
};

const valid: { [T in EventType]: fc.Arbitrary<unknown> } = {
  TradeObserved: tradeArb(),
  CandleObserved: fc
    .tuple(positiveDecimalString(), positiveDecimalString(), positiveDecimalString(), positiveDecimalString())
    .chain(([a, b, c, d]) => {
      const sorted = [a, b, c, d].sort((x, y) => Number(x) - Number(y));
      return fc.record({
        exchange: exchangeArb,
        symbol: symbolArb,
        interval: fc.constantFrom('1m' as const, '5m' as const, '1h' as const, '1d' as const),
        openTime: eventTimeArb.map((t) => t - (t % 60_000)),
        open: fc.constant(sorted[1]!),
        high: fc.constant(sorted[3]!),
        low: fc.constant(sorted[0]!),
        close: fc.constant(sorted[2]!),
        volume: decimalString(),
        quoteVolume: decimalString(),
        trades: fc.nat(),
      });
    }),
  MarketSnapshotObserved: fc.record({
    provider: fc.constant('coingecko'),
    assetId: id,
    symbol: symbolArb,
    priceUsd: decimalString(),
    marketCapUsd: decimalString(),
    volume24hUsd: decimalString(),
    rank: fc.option(fc.nat(), { nil: null }),
    eventTime: eventTimeArb,
  }),
  SentimentObserved: fc.record({ provider: id, symbol: symbolArb, minute: eventTimeArb, score: fc.double({ min: -1, max: 1, noNaN: true }), posts: fc.nat() }),
  InputRejected: fc.record({ source: id, reason: fc.string(), raw: fc.string(), receivedAt: fc.nat() }),
  FeedGapDetected: fc.record({ exchange: exchangeArb, symbol: symbolArb, sequence: fc.constantFrom('trade-id', 'aggregate-trade-id'), lastSeen: fc.nat(), resumedAt: fc.nat(), missing: fc.nat(), detectedAt: eventTimeArb }),
  FeedGapHealed: fc.record({ exchange: exchangeArb, symbol: symbolArb, sequence: fc.constantFrom('trade-id'), lastSeen: fc.nat(), resumedAt: fc.nat(), recovered: fc.nat(), healedAt: eventTimeArb }),
  BookDigestRecorded: fc.record({
    exchange: exchangeArb,
    symbol: symbolArb,
    intervalStart: eventTimeArb,
    intervalMs: fc.nat(),
    count: fc.nat(),
    snapshots: fc.nat(),
    firstSequence: fc.option(fc.nat(), { nil: null }),
    lastSequence: fc.option(fc.nat(), { nil: null }),
    firstEventTime: eventTimeArb,
    lastEventTime: eventTimeArb,
    sha256: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
    file: fc.tuple(exchangeArb, day, symbolArb, eventTimeArb).map(([x, d, s, t]) => `raw/orderbook/exchange=${x}/date=${d}/${s}_${t}.parquet`),
  }),
  BookResynced: fc.record({ exchange: exchangeArb, symbol: symbolArb, reason: fc.constantFrom('gap' as const, 'checksum' as const, 'overflow' as const, 'disconnect' as const), expected: fc.string(), got: fc.string(), eventTime: eventTimeArb }),
  CorrectionIssued: fc.oneof(
    fc.record({ correctionId: id, action: fc.constant('void' as const), target: ref, reason: id }),
    fc.record({
      correctionId: id,
      action: fc.constant('replace' as const),
      target: ref,
      replacement: fc.record({ price: positiveDecimalString(), quantity: positiveDecimalString(), side: fc.constantFrom('buy' as const, 'sell' as const), eventTime: eventTimeArb }),
      reason: id,
    }),
  ),
  RecomputeRequested: fc.record({ requestId: id, symbol: symbolArb, fromDay: day, toDay: day, reason: id }),
  RecomputeCompleted: fc.record({ requestId: id, symbol: symbolArb, fromDay: day, toDay: day, view: id, version: fc.nat(), engine: id }),
  BatchViewPublished: fc.record(
    { view: id, version: fc.nat(), symbols: fc.array(symbolArb), throughPosition: fc.nat(), engine: id, asOf: day, contentHash: fc.stringMatching(/^[0-9a-f]{64}$/) },
    { requiredKeys: ['view', 'version', 'symbols', 'throughPosition', 'engine'] },
  ),
  AlertRuleRegistered: fc.record({ ruleId: id, detector: id, symbols: fc.oneof(fc.array(symbolArb), fc.constant('*' as const)), params: jsonRecord, severity }),
  AlertRuleRetired: fc.record({ ruleId: id, reason: fc.string() }),
  AlertRaised: fc.record({ alertId: id, ruleId: id, detector: id, symbol: symbolArb, severity, eventTime: eventTimeArb, message: fc.string(), evidence: jsonRecord }),
  AlertResolved: fc.record({ alertId: id, ruleId: id, symbol: symbolArb, eventTime: eventTimeArb, evidence: jsonRecord }),
  AlertSubscriptionCreated: fc.record({
    subscriptionId: id,
    url: id,
    secret: id,
    filter: fc.record({ symbols: fc.array(symbolArb), severities: fc.array(severity), rules: fc.array(id) }, { requiredKeys: [] }),
  }),
  WebhookDeliveryAttempted: fc.record({
    subscriptionId: id,
    alertId: id,
    attempt: fc.nat(),
    outcome: fc.constantFrom('delivered' as const, 'failed' as const, 'dead-lettered' as const),
    status: fc.option(fc.nat(), { nil: null }),
    error: fc.option(fc.string(), { nil: null }),
  }),
  PredictionMade: fc.record({
    predictionId: id,
    modelId: id,
    version: positive,
    modelHash: sha256,
    symbol: symbolArb,
    interval: modelInterval,
    horizonBars: positive,
    madeAt: eventTimeArb,
    barTime: eventTimeArb,
    baseClose: finite,
    targetTime: eventTimeArb,
    featuresHash: sha256,
    output: fc.oneof(
      fc.record({ kind: fc.constant('return-regression' as const), point: finite, intervals: fc.array(fc.record({ level: finite, lower: finite, upper: finite }), { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('trend-classification' as const), label: trendLabel, probabilities: fc.record({ down: finite, sideways: finite, up: finite }), threshold: finite }),
    ),
    naive: fc.oneof(fc.record({ point: finite }), fc.record({ label: trendLabel })),
  }),
  PredictionScored: fc.record({
    predictionId: id,
    modelId: id,
    version: positive,
    symbol: symbolArb,
    targetTime: eventTimeArb,
    realisedClose: finite,
    realised: finite,
    outcome: fc.oneof(
      fc.record({ kind: fc.constant('return-regression' as const), error: finite, naiveError: finite, directionHit: fc.boolean(), covered: fc.array(fc.record({ level: finite, inside: fc.boolean() }), { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('trend-classification' as const), realisedLabel: trendLabel, correct: fc.boolean(), naiveCorrect: fc.boolean() }),
    ),
  }),
  ModelTrained: fc.record({
    modelId: id,
    version: positive,
    symbol: symbolArb,
    kind: fc.constantFrom('return-regression' as const, 'trend-classification' as const, 'anomaly' as const),
    algorithm: id,
    engine: id,
    interval: modelInterval,
    horizonBars: positive,
    spec: jsonRecord,
    features: fc.array(id, { maxLength: 4 }),
    seed: fc.integer(),
    parameters: fc.dictionary(fc.string({ maxLength: 10 }), finite, { maxKeys: 3 }),
    requestedRange: fc.record({ from: eventTimeArb, to: eventTimeArb }),
    trainingRange: fc.record({ from: eventTimeArb, to: eventTimeArb }),
    rows: fc.record({ usable: fc.nat(), dropped: fc.nat() }),
    ledgerCheckpoint: fc.option(fc.record({ size: fc.nat(), root: sha256 }), { nil: null }),
    featureSource: fc.record({ definitionVersion: fc.nat(), batchVersion: fc.option(fc.nat(), { nil: null }) }),
    metrics: fc.dictionary(fc.string({ maxLength: 12 }), figure),
    naiveMetrics: fc.dictionary(fc.string({ maxLength: 12 }), figure),
    skill: figure,
    beatsNaive: fc.boolean(),
    intervals: fc.array(fc.record({ level: finite, halfWidth: finite, coverage: figure }), { maxLength: 2 }),
    importances: fc.dictionary(fc.string({ maxLength: 12 }), finite, { maxKeys: 4 }),
    folds: fc.array(fc.record({ trainRows: fc.nat(), testRows: fc.nat(), testFrom: eventTimeArb, testTo: eventTimeArb, metrics: fc.dictionary(fc.string({ maxLength: 12 }), figure) }), { maxLength: 3 }),
    modelHash: sha256,
    model: fc.jsonValue({ maxDepth: 3 }),
    durationMs: fc.nat(),
    codeVersion: id,
  }),
  ModelAliasSet: fc.record({
    modelId: id,
    alias: fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/),
    version: fc.option(positive, { nil: null }),
    reason: fc.string(),
  }),
  RiskAssessed: fc.oneof(
    fc.record({ symbol: symbolArb, ...assessedArbs }),
    fc.record({ portfolioId: id, weights: weightsArb, rebalancing: fc.constant('daily' as const), ...assessedArbs }),
  ),
  PortfolioDefined: fc.record({ portfolioId: id, name: id, holdings: holdingsArb }),
  PortfolioRedefined: fc.record({ portfolioId: id, name: id, holdings: holdingsArb }),
  PortfolioRetired: fc.record({ portfolioId: id, reason: fc.string() }),
  PortfolioOptimised: fc.record({
    optimisationId: id,
    portfolioId: fc.option(id, { nil: null }),
    asOf: day,
    symbols: fc.array(symbolArb, { maxLength: 5 }),
    objective: objectiveArb,
    solved: objectiveArb,
    fallback: fc.option(fc.record({ reason: fc.string() }), { nil: null }),
    parameters: fc.record({
      window: fc.nat(),
      covariance: fc.constantFrom('sample' as const, 'ledoit-wolf' as const),
      riskFree: finite,
      targetReturn: figure,
      targetVolatility: figure,
      bounds: fc.dictionary(symbolArb, fc.tuple(finite, finite), { maxKeys: 4 }),
    }),
    definitions: fc.record({ expectedReturns: fc.string(), covariance: fc.string(), annualisation: fc.nat() }),
    observations: fc.nat(),
    shrinkage: figure,
    weights: weightsArb,
    performance: fc.record({ expectedReturn: finite, volatility: finite, sharpe: figure }),
    batch: fc.option(fc.record({ view: id, version: fc.nat(), computedThrough: eventTimeArb }), { nil: null }),
  }),
  KeyIssued: fc.record({ keyId: id, name: id, role: roleArb, keyHash: fc.stringMatching(/^[0-9a-f]{64}$/) }),
  KeyRevoked: fc.record({ keyId: id, name: id, role: roleArb, reason: fc.string() }),
  BacktestRequested: fc.record({ backtestId: id, request: jsonRecord }),
  BacktestCompleted: fc.record({
    backtestId: id,
    symbol: symbolArb,
    interval: fc.constantFrom('1m' as const, '5m' as const, '1h' as const, '1d' as const),
    bars: fc.record({ count: fc.nat(), from: eventTimeArb, to: eventTimeArb }),
    mode: fc.constantFrom('long-only' as const, 'long-short' as const),
    costs: fc.record({ fee: fc.double({ min: 0, max: 0.1, noNaN: true }), slippage: fc.double({ min: 0, max: 0.1, noNaN: true }) }),
    chosen: fc.option(backtestParams, { nil: null }),
    gridSize: fc.nat(),
    grid: fc.array(fc.record({ strategy: backtestParams, finalEquity: finite, trades: fc.nat() }), { maxLength: 3 }),
    walkForward: fc.option(
      fc.array(fc.record({ trainFrom: eventTimeArb, trainTo: eventTimeArb, testFrom: eventTimeArb, testTo: eventTimeArb, chosen: backtestParams, trainEquity: finite, testEquity: finite }), { maxLength: 3 }),
      { nil: null },
    ),
    metrics: fc.dictionary(fc.string({ maxLength: 12 }), figure),
    trades: fc.array(
      fc.record({ side: fc.constantFrom('long' as const, 'short' as const), entryTime: eventTimeArb, entryPrice: finite, units: finite, exitTime: eventTimeArb, exitPrice: finite, open: fc.boolean(), fees: finite, pnl: finite, return: finite }),
      { maxLength: 3 },
    ),
    equity: fc.array(fc.record({ time: eventTimeArb, value: finite }), { maxLength: 5 }),
    shortfall: fc.boolean(),
    ledgerCheckpoint: fc.option(fc.record({ size: fc.nat(), root: fc.string({ minLength: 1, maxLength: 64 }) }), { nil: null }),
    batch: fc.option(fc.record({ view: id, version: fc.nat(), computedThrough: eventTimeArb }), { nil: null }),
    codeVersion: id,
  }),
};

describe('event codecs', () => {
  it('the arbitraries cover the whole catalogue', () => {
    expect(Object.keys(valid).sort()).toEqual(Object.keys(catalogue).sort());
  });

  for (const type of Object.keys(valid) as EventType[]) {
    describe(type, () => {
      it('valid data passes and survives a JSON round trip unchanged', () => {
        fc.assert(
          fc.property(valid[type], (data) => {
            const v = validateEventData(type, data);
            expect(v.ok, v.ok ? '' : v.reason).toBe(true);
            const back = JSON.parse(JSON.stringify(data)) as unknown;
            const again = validateEventData(type, back);
            expect(again.ok).toBe(true);
            // The ledger stores JSON, so the JSON form is what must survive (-0 is stored as 0).
            if (again.ok && v.ok) expect(again.value).toEqual(JSON.parse(JSON.stringify(v.value)));
          }),
        );
      });

      it('garbage is rejected with a reason and never throws', () => {
        fc.assert(
          fc.property(garbageArb, (junk) => {
            const v = validateEventData(type, junk);
            if (!v.ok) {
              expect(v.reason.length).toBeGreaterThan(0);
              expect(v.reason).toMatch(/expected/);
            }
          }),
        );
      });
    });
  }

  it('a trade with a broken field names the field and what was expected', () => {
    const good = { exchange: 'binance', symbol: 'BTC-USDT', tradeId: '1', price: '100', quantity: '1', side: 'buy', eventTime: T0 };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, price: '-1' }, /data\.price: expected a positive decimal string/],
      [{ ...good, price: '0' }, /data\.price/],
      [{ ...good, symbol: 'BTCUSDT' }, /data\.symbol: expected a symbol BASE-QUOTE/],
      [{ ...good, side: 'long' }, /data\.side/],
      [{ ...good, eventTime: 1 }, /data\.eventTime: expected epoch milliseconds/],
      [{ ...good, exchange: 'Binance' }, /data\.exchange/],
    ];
    for (const [data, reason] of cases) {
      const v = validateEventData('TradeObserved', data);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.reason).toMatch(reason);
    }
  });
});

describe('upcasting', () => {
  const stored = (type: string, schemaVersion: number): RecordedEvent => ({
    position: 1, id: 'x', type, schemaVersion, stream: 's', streamVersion: 1, data: {}, dedupKey: null, leafHash: '',
    meta: { recordedAt: 0, actor: 'a', correlationId: 'c', causationId: null, source: 's' },
  });
  it('passes current versions through and skips unknown types and future versions', () => {
    expect(upcastEvent(stored('TradeObserved', 1))?.type).toBe('TradeObserved');
    expect(upcastEvent(stored('SomethingNew', 1))).toBeUndefined();
    expect(upcastEvent(stored('TradeObserved', 99))).toBeUndefined();
    expect(isEventType('TradeObserved')).toBe(true);
  });
});

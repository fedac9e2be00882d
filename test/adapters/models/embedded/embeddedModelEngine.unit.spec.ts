/**
 * The embedded engine trains on a worker thread: the model it answers is the one trainModel grows
 * on the calling thread (same parameters, hash, metrics and progress), a refusal comes back as the
 * same InvalidInputError, and the process answers a request while a training runs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEmbeddedModelEngine } from '../../../../src/adapters/models/embedded/embeddedModelEngine.js';
import { isInvalidInputError } from '../../../../src/domain/errors.js';
import { DEFAULT_FEATURES, DEFAULT_FOREST_GRID, DEFAULT_GBT_GRID, trainModel, type ModelSpec } from '../../../../src/domain/models/index.js';
import { syntheticRows } from '../../../support/modelRows.js';

const rows = syntheticRows(1_500, 11);
const input = { symbol: 'BTC-USDT', from: rows[0]!.time, to: rows[rows.length - 1]!.time + 1, rows };
const gbt: ModelSpec = { kind: 'return-regression', algorithm: 'gbt', interval: '1h', horizonBars: 1, features: DEFAULT_FEATURES, grid: { ...DEFAULT_GBT_GRID, maxIter: [10, 20] }, folds: 3, initialTrainFraction: 0.5, seed: 7 };
const forest: ModelSpec = { kind: 'trend-classification', algorithm: 'random-forest', interval: '1h', horizonBars: 1, features: DEFAULT_FEATURES, grid: { ...DEFAULT_FOREST_GRID, numTrees: [10] }, folds: 3, initialTrainFraction: 0.5, seed: 3, trendThreshold: 0.002 };

describe('embedded model engine on a worker thread', () => {
  const engine = createEmbeddedModelEngine();

  it.each([
    ['GBT return regression', gbt],
    ['random-forest trend classification', forest],
  ])('answers the model trainModel grows on the calling thread: %s', async (_name, spec) => {
    const inlineProgress: Array<[number, number]> = [];
    const inline = trainModel(spec, rows, (done, total) => inlineProgress.push([done, total]));
    const threadProgress: Array<[number, number]> = [];
    const threaded = await engine.train(spec, input, (done, total) => threadProgress.push([done, total]));
    expect(threaded.modelHash).toBe(inline.modelHash);
    expect(threaded.report.chosenParams).toEqual(inline.report.chosenParams);
    expect(threaded.report.metrics).toEqual(inline.report.metrics);
    expect(threaded).toEqual(inline);
    expect(threadProgress).toEqual(inlineProgress);
    expect(threadProgress.length).toBeGreaterThan(1);
  });

  it('rejects what the trainer refuses with the same InvalidInputError and reason', async () => {
    const tooFew = rows.slice(0, 30);
    const expected = (() => {
      try {
        trainModel(gbt, tooFew);
      } catch (e) {
        return e;
      }
      throw new Error('trainModel trained on 30 rows: pick input it refuses');
    })();
    const got = await engine.train(gbt, { ...input, rows: tooFew }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isInvalidInputError(got)).toBe(true);
    expect((got as Error).message).toBe((expected as Error).message);
  });

  it('answers a request while a model trains', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const order: string[] = [];
      const training = engine.train(gbt, input).then(() => order.push('training finished'));
      const { port } = server.address() as AddressInfo;
      const request = fetch(`http://127.0.0.1:${port}/`).then(async (r) => order.push(`request answered ${await r.text()}`));
      await Promise.all([training, request]);
      expect(order).toEqual(['request answered ok', 'training finished']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

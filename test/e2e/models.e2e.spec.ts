/**
 * Models end to end on the embedded platform with real data (Binance futures 1m klines of
 * February 2023, BTC-USDT): train through the job queue over HTTP, the same training again gives
 * the same model hash, promotion needs the risk role, a prediction at the latest complete bar is
 * recorded, the clock passes the horizon, the prediction is scored against the target bar's close
 * (checked against the CSV itself), the track record shows it, and compliance replay as of a
 * time before the scoring shows the prediction unscored and the alias as it stood.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import { createReplaySource } from '../../src/adapters/sources/replay/replaySource.js';
import { MODEL_TRAINING_QUEUE } from '../../src/app/models.js';
import type { Platform } from '../../src/app/platform.js';
import { issueKey, openTestPlatform, origin, withKey, type KeyedClient } from '../support/platform.js';
import { provenEventOf } from '../support/provenEvent.js';
import { requireSharedData } from '../support/sharedData.js';

const DAYS = Array.from({ length: 27 }, (_, d) => `binance-futures-klines-1m-2023-02/BTCUSDT-1m-2023-02-${String(d + 1).padStart(2, '0')}.csv`);
const data = requireSharedData(...DAYS);
const HOUR = 3_600_000;
/** The platform's clock: a few minutes into 27 February, then past the 1h horizon. */
const NOW = Date.UTC(2023, 1, 27, 0, 5);
const LATER = Date.UTC(2023, 1, 27, 1, 30);

/** The close of the 1h bar starting at `hour`, straight from the CSV: the last 1m kline's close of that hour. */
const csvHourClose = (files: string[], hour: number): number => {
  let close: number | undefined;
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const cols = line.trim().split(',');
      const t = Number(cols[0]);
      if (cols.length >= 12 && t >= hour && t < hour + HOUR) close = Number(cols[4]);
    }
  }
  if (close === undefined) throw new Error(`no kline in the hour ${new Date(hour).toISOString()}`);
  return close;
};

describe.skipIf(data.skip)('models and predictions on real data (embedded platform)', () => {
  let now = NOW;
  let platform: Platform;
  let app: FastifyInstance;
  let trader: KeyedClient;
  let risk: KeyedClient;
  let viewer: KeyedClient;
  let cleanup: () => Promise<void>;
  const files = () => DAYS.map((f) => data.path(f));

  beforeAll(async () => {
    data.assertAvailable();
    ({ platform, cleanup } = await openTestPlatform({}, undefined, undefined, { now: () => now }));
    // What had happened by the clock: the days before 27 February (the 27th arrives once the clock has moved on).
    await platform.ingest(createReplaySource({ files: files().slice(0, -1), speed: 0 }), new AbortController().signal);
    await platform.batchProjector.runOnce();
    app = await buildServer(platform, { logger: false });
    trader = withKey(app, (await issueKey(platform, 'trader')).key);
    risk = withKey(app, (await issueKey(platform, 'risk')).key);
    viewer = withKey(app, (await issueKey(platform, 'viewer')).key);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await cleanup?.();
  });

  const request = { symbol: 'BTC-USDT', horizon: '1h', from: '2023-02-02T00:00:00Z', to: '2023-02-26T00:00:00Z', seed: 7 };

  const trainOnce = async (): Promise<{ modelId: string; version: number }> => {
    const r = await trader.inject({ method: 'POST', url: '/api/v1/models/trainings', payload: request });
    expect(r.statusCode, r.body).toBe(202);
    const { trainingId, modelId } = r.json<{ trainingId: string; modelId: string }>();
    await platform.jobs.drain(MODEL_TRAINING_QUEUE);
    const status = await viewer.inject(`/api/v1/models/trainings/${trainingId}`);
    expect(status.json(), status.body).toMatchObject({ status: 'completed', modelId, progress: 1 });
    return { modelId, version: status.json<{ version: number }>().version };
  };

  it('trains through the queue, reproducibly, and records what it was trained from', async () => {
    const first = await trainOnce();
    const second = await trainOnce();
    expect(first).toEqual({ modelId: 'BTC-USDT.return.1h', version: 1 });
    expect(second.version).toBe(2);
    interface Version {
      modelHash: string;
      ledgerCheckpoint: { size: number };
      rows: { usable: number };
      metrics: { mae: number };
      naiveMetrics: { mae: number };
      skill: number;
      beatsNaive: boolean;
      intervals: Array<{ level: number }>;
      importances: Record<string, number>;
    }
    const model = (await viewer.inject(`/api/v1/models/${encodeURIComponent(first.modelId)}`)).json<{ versions: [Version, Version] }>();
    const [v1, v2] = model.versions;
    // Same ledger range, same seed, same engine: the same trees.
    expect(v2.modelHash).toBe(v1.modelHash);
    expect(v1).toMatchObject({ engine: 'embedded', algorithm: 'gbt', seed: 7, features: expect.arrayContaining(['logReturn1', 'rsi14']) });
    expect(v1.ledgerCheckpoint.size).toBeGreaterThan(26 * 1440);
    expect(v1.rows.usable).toBeGreaterThan(500);
    expect(v1.skill).toBeCloseTo(1 - v1.metrics.mae / v1.naiveMetrics.mae, 12);
    expect(v1.beatsNaive).toBe(v1.skill > 0);
    expect(v1.intervals.map((i) => i.level)).toEqual([0.8, 0.95]);
    const importances = Object.values(v1.importances);
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const listed = (await viewer.inject('/api/v1/models')).json<{ models: Array<{ modelId: string; versions: number }> }>();
    expect(listed.models).toEqual([expect.objectContaining({ modelId: 'BTC-USDT.return.1h', versions: 2, aliases: {} })]);
  }, 300_000);

  it('promotion is the risk role\'s; without a champion there is no default prediction', async () => {
    const none = await trader.inject({ method: 'POST', url: '/api/v1/predictions', payload: { symbol: 'BTC-USDT', horizon: '1h' } });
    expect(none.statusCode).toBe(404);
    expect(none.json<{ message: string }>().message).toMatch(/no champion/);
    const promote = { method: 'POST' as const, url: '/api/v1/models/aliases', payload: { modelId: 'BTC-USDT.return.1h', alias: 'champion', version: 1, reason: 'first' } };
    expect((await trader.inject(promote)).statusCode).toBe(403);
    const r = await risk.inject(promote);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ changed: true });
    expect((await risk.inject(promote)).json()).toMatchObject({ changed: false });
  });

  it('predicts at the latest complete bar, scores it once the horizon has passed, and keeps the track record', async () => {
    const made = await trader.inject({ method: 'POST', url: '/api/v1/predictions', payload: { symbol: 'BTC-USDT', horizon: '1h' } });
    expect(made.statusCode, made.body).toBe(201);
    const p = made.json<{ predictionId: string; barTime: number; targetTime: number; baseClose: number; recorded: boolean; output: { kind: string; point: number; intervals: Array<{ level: number; lower: number; upper: number }> } }>();
    const lastBar = Date.UTC(2023, 1, 26, 23);
    expect(p).toMatchObject({ recorded: true, modelId: 'BTC-USDT.return.1h', version: 1, barTime: lastBar, targetTime: lastBar + 2 * HOUR, naive: { point: 0 } });
    expect(p.baseClose).toBe(csvHourClose(files(), lastBar));
    expect(p.output.intervals[0]!.lower).toBeLessThan(p.output.point);
    const madeAt = now;

    // Not yet due: the target bar (00:00-01:00) has not ended at 00:05.
    expect(await platform.models.score(origin)).toEqual({ scored: 0, pending: 0 });
    now = LATER;
    // Past the horizon, but no candle of the target bar yet: it waits. Then the market goes on, and the batch pass settles the bar.
    expect(await platform.models.score(origin)).toEqual({ scored: 0, pending: 1 });
    await platform.ingest(createReplaySource({ files: files().slice(-1), speed: 0 }), new AbortController().signal);
    await platform.batchProjector.runOnce();
    expect(await platform.models.score(origin)).toEqual({ scored: 1, pending: 0 });
    expect(await platform.models.score(origin)).toEqual({ scored: 0, pending: 0 });

    const realised = Math.log(csvHourClose(files(), lastBar + HOUR) / csvHourClose(files(), lastBar));
    const listed = (await viewer.inject(`/api/v1/predictions?symbol=BTC-USDT&from=${madeAt - HOUR}&to=${now}`)).json<{ predictions: Array<{ score: { realised: number; outcome: { error: number; naiveError: number } } | null }> }>();
    expect(listed.predictions).toHaveLength(1);
    // Without a symbol or model (the dashboard's list): every symbol's, the newest `limit`.
    const everyone = await viewer.inject(`/api/v1/predictions?limit=50&from=${madeAt - HOUR}&to=${now}`);
    expect(everyone.json<{ predictions: unknown[] }>().predictions, everyone.body).toHaveLength(1);
    const score = listed.predictions[0]!.score!;
    expect(score.realised).toBeCloseTo(realised, 12);
    expect(score.outcome.error).toBeCloseTo(realised - p.output.point, 12);
    expect(score.outcome.naiveError).toBeCloseTo(realised, 12);

    const track = (await viewer.inject('/api/v1/models/BTC-USDT.return.1h/track-record')).json<{ scored: number; overall: { error: number; naiveError: number; skill: number } }>();
    expect(track.scored).toBe(1);
    expect(track.overall.error).toBeCloseTo(Math.abs(realised - p.output.point), 12);
    expect(track.overall.skill).toBeCloseTo(1 - Math.abs(realised - p.output.point) / Math.abs(realised), 9);

    // What compliance sees as of just after the prediction: the champion then, the prediction unscored.
    const admin = withKey(app, (await issueKey(platform, 'compliance')).key);
    const replay = await admin.inject(`/api/v1/compliance/replay?symbol=BTC-USDT&asOf=${madeAt}`);
    expect(replay.statusCode, replay.body).toBe(200);
    const known = replay.json<{ models: { models: Array<{ aliases: Record<string, number>; aliasPositions: Record<string, number> }>; predictions: Array<{ predictionId: string; position: number; scored: unknown }> } }>().models;
    expect(known.models[0]!.aliases).toEqual({ champion: 1 });
    // The alias is named by the position of the ModelAliasSet that set it, as the proof there shows.
    const aliasProof = (await admin.inject(`/api/v1/ledger/proofs/inclusion?position=${known.models[0]!.aliasPositions['champion']}`)).json();
    expect(provenEventOf(aliasProof)).toMatchObject({ type: 'ModelAliasSet', data: { modelId: 'BTC-USDT.return.1h', alias: 'champion', version: 1 } });
    expect(known.predictions).toEqual([expect.objectContaining({ predictionId: p.predictionId, scored: null })]);
    // The prediction is named by its position: the proof at it carries that PredictionMade event.
    const proof = (await admin.inject(`/api/v1/ledger/proofs/inclusion?position=${known.predictions[0]!.position}`)).json();
    expect(provenEventOf(proof)).toMatchObject({ type: 'PredictionMade', data: { predictionId: p.predictionId } });
  });
});

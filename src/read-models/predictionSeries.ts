/**
 * A model's recorded predictions of one symbol as a backtest's signal series: for each bar a
 * prediction was made at (its feature row's bar, forecast from that bar's close), the predicted
 * log return, or the predicted direction (−1 down, 0 sideways, +1 up) for a trend model. Read from
 * the ledger's PredictionMade events, so a backtest that follows a model uses only what the model
 * said at the time, and names the ledger checkpoint that holds it.
 */
import { upcastEvent } from '../domain/events/catalogue.js';
import type { PredictionMadeData } from '../domain/events/models.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Ledger } from '../domain/ports.js';
import { predictionStream } from '../domain/streams.js';

const DIRECTION = { down: -1, sideways: 0, up: 1 } as const;

const valueOf = (p: PredictionMadeData): number => (p.output.kind === 'return-regression' ? p.output.point : DIRECTION[p.output.label]);

/** `model` is `MODEL-ID` (every version) or `MODEL-ID@N` (version N). */
export const predictionSeries = async (ledger: Pick<Ledger, 'readStream'>, symbol: string, model: string, interval: string): Promise<Array<{ time: number; value: number }>> => {
  const at = model.lastIndexOf('@');
  const modelId = at < 0 ? model : model.slice(0, at);
  const version = at < 0 ? undefined : Number(model.slice(at + 1));
  if (version !== undefined && !(Number.isInteger(version) && version >= 1)) throw new InvalidInputError(`model: expected MODEL-ID or MODEL-ID@VERSION, got "${model}"`);
  const made: PredictionMadeData[] = [];
  for (const e of await ledger.readStream(predictionStream(symbol))) {
    const up = upcastEvent(e);
    if (up?.type === 'PredictionMade' && up.data.modelId === modelId && (version === undefined || up.data.version === version)) made.push(up.data);
  }
  if (made.length === 0) throw new NotFoundError(`model ${model} has made no prediction of ${symbol}: POST /api/v1/predictions (or the hourly schedule of --model-symbols) makes them`);
  const other = made.find((p) => p.interval !== interval);
  if (other !== undefined) throw new InvalidInputError(`model ${modelId} predicts on ${other.interval} bars; ask the backtest for interval ${other.interval}`);
  // One value per bar: a later prediction of the same bar (another version, or a retry) is the one that stands.
  const byBar = new Map(made.map((p) => [p.barTime, valueOf(p)]));
  return [...byBar].sort(([a], [b]) => a - b).map(([time, value]) => ({ time, value }));
};

/**
 * From feature rows to what a learner eats: a row-major Float64Array of the chosen features, the
 * target y_t = ln(close_{t+h} / close_t) (bar t+h exactly h intervals later, else no target) and the
 * times. A row with a null feature is dropped and counted; a row without a target is left out
 * (the newest h bars never have one yet).
 */
import { InvalidInputError } from '../errors.js';
import type { FeatureRow } from '../features/featureRow.js';
import { INTERVAL_MS } from '../time.js';
import { featureValue, type ModelSpec } from './spec.js';

export interface Dataset {
  /** Usable rows. */
  readonly n: number;
  /** Features per row. */
  readonly p: number;
  /** Bar start of each usable row, increasing. */
  readonly times: Float64Array;
  /** n × p, row-major. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Rows that had a target but a null in a chosen feature. */
  readonly droppedRows: number;
  /** Rows with no bar h intervals later (yet). */
  readonly rowsWithoutTarget: number;
  /** Target of every row that has one, usable or not, by bar start (for the persistence forecast). */
  readonly targetsByTime: ReadonlyMap<number, number>;
}

export const intervalMs = (spec: Pick<ModelSpec, 'interval'>): number => INTERVAL_MS[spec.interval];

export const checkTimeOrder = (rows: readonly FeatureRow[]): void => {
  for (let i = 1; i < rows.length; i++) {
    if (!(rows[i]!.time > rows[i - 1]!.time)) {
      throw new InvalidInputError(`feature rows must be in strictly increasing time order; row ${i} (${rows[i]!.time}) is not after row ${i - 1} (${rows[i - 1]!.time})`);
    }
  }
};

/** The features of one row in the spec's order, or null when one of them is null. */
export const featureVector = (row: FeatureRow, features: readonly string[]): number[] | null => {
  const out: number[] = [];
  for (const f of features) {
    const v = featureValue(row, f);
    if (v === null || !Number.isFinite(v)) return null;
    out.push(v);
  }
  return out;
};

export const buildDataset = (spec: ModelSpec, rows: readonly FeatureRow[]): Dataset => {
  checkTimeOrder(rows);
  const size = intervalMs(spec);
  const ahead = spec.horizonBars * size;
  const closeByTime = new Map(rows.map((r) => [r.time, r.close]));
  const targetsByTime = new Map<number, number>();
  const times: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  let droppedRows = 0;
  let rowsWithoutTarget = 0;
  for (const row of rows) {
    const later = closeByTime.get(row.time + ahead);
    if (later === undefined) {
      rowsWithoutTarget++;
      continue;
    }
    const target = Math.log(later / row.close);
    targetsByTime.set(row.time, target);
    const v = featureVector(row, spec.features);
    if (v === null) {
      droppedRows++;
      continue;
    }
    times.push(row.time);
    for (const value of v) x.push(value);
    y.push(target);
  }
  return {
    n: times.length,
    p: spec.features.length,
    times: Float64Array.from(times),
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    droppedRows,
    rowsWithoutTarget,
    targetsByTime,
  };
};

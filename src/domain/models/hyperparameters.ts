/**
 * A grid of hyperparameters expanded into its points (in a fixed order: the grid's keys sorted,
 * the last key varying fastest), and the checked reading of one point's value. The order matters:
 * a tie in tuning goes to the first point.
 */
import { InvalidInputError } from '../errors.js';

export type GridPoint = Readonly<Record<string, number>>;

export const gridPoints = (grid: Readonly<Record<string, readonly number[]>>): GridPoint[] => {
  const keys = Object.keys(grid).sort();
  let points: Record<string, number>[] = [{}];
  for (const key of keys) points = points.flatMap((pt) => grid[key]!.map((v) => ({ ...pt, [key]: v })));
  return points;
};

/** A point's value of `name`, else `fallback`; must be an integer in [min, max] when `integer`. */
export const param = (point: GridPoint, name: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number => {
  const v = point[name] ?? fallback;
  if (!(v >= range.min && v <= range.max) || (range.integer === true && !Number.isInteger(v))) {
    throw new InvalidInputError(`hyperparameter ${name} = ${v}: must be ${range.integer === true ? 'an integer ' : ''}in [${range.min}, ${range.max}]`);
  }
  return v;
};

/**
 * The day-of-week × hour profile of 1h log returns: for each UTC weekday (ISO: 1 = Monday ..
 * 7 = Sunday) and hour of the day, the mean 1-bar log return of the bars starting then and how
 * many there were. Every one of the 168 cells is listed; an empty one has a null mean.
 */
export interface SeasonalCell {
  readonly dayOfWeek: number;
  readonly hour: number;
  readonly meanLogReturn: number | null;
  readonly count: number;
}

export const seasonalProfile = (returns: ReadonlyArray<{ readonly time: number; readonly value: number }>): SeasonalCell[] => {
  const sums = new Array<number>(168).fill(0);
  const counts = new Array<number>(168).fill(0);
  for (const r of returns) {
    const d = new Date(r.time);
    const cell = ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
    sums[cell] = sums[cell]! + r.value;
    counts[cell] = counts[cell]! + 1;
  }
  return sums.map((s, cell) => ({
    dayOfWeek: Math.floor(cell / 24) + 1,
    hour: cell % 24,
    meanLogReturn: counts[cell] === 0 ? null : s / counts[cell]!,
    count: counts[cell]!,
  }));
};

/**
 * Query answers kept per key until the state they were computed from moves on: a hot symbol's
 * realtime view is asked for far more often than the live projection commits, so between two
 * commits every caller shares one computation. Exact, not time-based: the version (the
 * projection's content version, or a string naming every input's state) changes with every
 * commit that changes what the answer was computed from, and a different version recomputes.
 * Failures are not kept.
 */
export type AnswerCache<A> = (key: string, version: number | string, compute: () => Promise<A>) => Promise<A>;

export const createAnswerCache = <A>(maxEntries: number): AnswerCache<A> => {
  const entries = new Map<string, { version: number | string; answer: Promise<A> }>();
  return (key, version, compute) => {
    const hit = entries.get(key);
    if (hit !== undefined && hit.version === version) return hit.answer;
    const entry = { version, answer: compute() };
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    entry.answer.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return entry.answer;
  };
};

/**
 * The event ids a consumer handled most recently, to drop redeliveries. A publisher that
 * crashed republishes from its checkpoint, so a duplicate arrives close behind its original:
 * a bounded window (oldest forgotten first) catches them without growing forever.
 */
export interface RecentIds {
  /** True the first time an id is seen (and remembers it); false for a repeat. */
  firstSeen(id: string): boolean;
}

export const recentIds = (capacity = 200_000): RecentIds => {
  const seen = new Set<string>();
  return {
    firstSeen(id) {
      if (seen.has(id)) return false;
      seen.add(id);
      // A Set iterates in insertion order: the first value is the oldest.
      if (seen.size > capacity) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
};

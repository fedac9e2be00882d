/**
 * A pure function of a string, remembered for the strings it has seen: the pair names of a feed
 * are few and come again in every message, so each is worked out (split, mapped, checked) once.
 * Past `max` distinct inputs (a feed of nonsense) new ones are computed and not kept, so memory
 * stays bounded.
 */
export const memoByString = <T>(f: (s: string) => T, max = 4_096): ((s: string) => T) => {
  const seen = new Map<string, T>();
  return (s) => {
    const known = seen.get(s);
    if (known !== undefined || seen.has(s)) return known as T;
    const value = f(s);
    if (seen.size < max) seen.set(s, value);
    return value;
  };
};

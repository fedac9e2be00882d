/**
 * The 32-bit hashes under which an event's id and dedup key are indexed (FNV-1a over the
 * string's UTF-16 code units, a different basis for each kind so an id never answers for a
 * key). An index entry is (hash, block): 4 bytes instead of a 36-byte id, so it costs a fraction
 * of a per-event text index; a lookup reads the few blocks its hash names and compares the real
 * strings, so a collision costs a block read, never a wrong answer.
 */
const FNV_PRIME = 0x01000193;
const ID_BASIS = 0x811c9dc5;
const KEY_BASIS = 0x050c5d1f;

const fnv1a = (s: string, basis: number): number => {
  let h = basis;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h | 0;
};

export const idHash = (id: string): number => fnv1a(id, ID_BASIS);

export const dedupKeyHash = (key: string): number => fnv1a(key, KEY_BASIS);

/**
 * How an event's id and dedup key are indexed without a 36-byte text index entry each.
 *
 * - Ids made by the platform are UUIDv7: their first 48 bits are the millisecond they were made,
 *   and a group's ids are made within a few milliseconds of each other. They are indexed by that
 *   millisecond, one row per (millisecond, block): a handful of rows per block, appended in
 *   time order at the end of the index (no page rewritten at random), and a lookup reads the
 *   blocks of one millisecond.
 * - Any other id, and a dedup key that its scope's ranges do not cover (dedupMarks.ts), is
 *   indexed under a 32-bit hash (FNV-1a over its UTF-16 code units, a different basis for ids
 *   and for keys, so one never answers for the other).
 * Lookups always compare the real strings in the blocks they read: a shared millisecond or a
 * hash collision costs a block read, never a wrong answer.
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

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The millisecond a UUIDv7 id was made (its first 48 bits); undefined for any other id. */
export const uuidV7Millisecond = (id: string): number | undefined =>
  UUID_V7.test(id) ? parseInt(id.slice(0, 8), 16) * 0x10000 + parseInt(id.slice(9, 13), 16) : undefined;

/**
 * Moving a ledger written one row per event (the first transparency-log format: each row with
 * its leaf hash, tiles and checkpoints beside) into blocks. Its tree is checked first: every
 * row's leaf recomputed from its stored bytes, and the root of all of them against its last
 * signed checkpoint. Re-recorded with the same positions, stream versions, recordedAt and
 * content, every event has the same canonical bytes and leaf again, so the new tree is the old
 * tree: its roots, and every checkpoint and proof a client kept, stay valid.
 */
import { leafHash } from '../merkle/rfc6962.js';
import { createTreeFrontier } from '../merkle/treeFrontier.js';
import { canonicalBytesOfRow, type EventRow } from '../sealEvent.js';
import type { ChainVerdict, OldRowSource } from './hashChainMigration.js';

const PAGE = 5_000;

export const EVENT_ROW_COLUMNS = 'position, id, type, schema_version, stream, stream_version, data, meta, dedup_key, recorded_at, leaf_hash';

export const verifyEventRows = async (
  source: OldRowSource<EventRow>,
  lastCheckpoint: { readonly size: number; readonly root: Buffer } | undefined,
  onProgress: (done: number) => void,
): Promise<ChainVerdict> => {
  const tree = createTreeFrontier();
  for (let page = await source.read(0, PAGE); page.length > 0; page = await source.read(tree.size, PAGE)) {
    for (const row of page) {
      const position = Number(row.position);
      if (position !== tree.size + 1) return { ok: false, position: tree.size + 1, reason: `position ${tree.size + 1} is missing` };
      const leaf = leafHash(canonicalBytesOfRow(row));
      if (!leaf.equals(row.leaf_hash)) return { ok: false, position, reason: 'the stored event does not match its leaf hash' };
      tree.append(leaf);
    }
    onProgress(tree.size);
  }
  if ((lastCheckpoint?.size ?? 0) !== tree.size) return { ok: false, position: tree.size, reason: `it stores ${tree.size} events but its last checkpoint is of ${lastCheckpoint?.size ?? 0}` };
  if (lastCheckpoint !== undefined && !tree.root().equals(lastCheckpoint.root)) return { ok: false, position: tree.size, reason: 'the root of the stored events is not the root its last checkpoint signed' };
  return { ok: true, events: tree.size };
};

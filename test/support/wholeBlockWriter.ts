/**
 * Writes a block in format 1 (src/adapters/ledger/blocks/wholeBlock.ts), as the ledger wrote
 * every block before blocks were framed: for the tests of ledgers that hold blocks written then.
 * Nothing in the ledger writes this format any more; it only reads it.
 */
import { deflateRawSync } from 'node:zlib';
import { BLOCK_DEFLATE_LEVEL, LEAF_PREFIX_BYTES, type BlockEvent } from '../../src/adapters/ledger/blocks/blockCodec.js';
import type { WholeBlockColumns } from '../../src/adapters/ledger/blocks/wholeBlock.js';

export const encodeWholeBlock = (events: readonly BlockEvent[], leafPrefixes: Uint8Array): Buffer => {
  if (leafPrefixes.length !== events.length * LEAF_PREFIX_BYTES) throw new Error(`a block of ${events.length} events needs ${events.length * LEAF_PREFIX_BYTES} leaf prefix bytes`);
  const c: WholeBlockColumns = { kinds: [], kind: [], streams: [], stream: [], metas: [], meta: [], ids: [], data: [], keys: [] };
  const kinds = new Map<string, number>();
  const streams = new Map<string, number>();
  const metas = new Map<string, number>();
  const indexIn = <K>(dictionary: Map<K, number>, key: K, add: () => void): number => {
    if (!dictionary.has(key)) {
      dictionary.set(key, dictionary.size);
      add();
    }
    return dictionary.get(key)!;
  };
  for (const e of events) {
    c.kind.push(indexIn(kinds, `${e.schemaVersion} ${e.type}`, () => c.kinds.push([e.type, e.schemaVersion])));
    c.stream.push(indexIn(streams, e.stream, () => c.streams.push([e.stream, e.streamVersion])));
    c.meta.push(indexIn(metas, e.metaJson, () => c.metas.push(e.metaJson)));
    c.ids.push(e.id);
    c.data.push(e.dataJson);
    c.keys.push(e.dedupKey);
  }
  const json = Buffer.from(JSON.stringify(c));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return deflateRawSync(Buffer.concat([length, json, leafPrefixes]), { level: BLOCK_DEFLATE_LEVEL });
};

/**
 * The corrections of one symbol as the ledger recorded them: what was voided or replaced, why,
 * by whom (the actor is the issuing key's id, never a client's word) and at which position, so
 * a compliance report can list them and each one's inclusion proof is one call away.
 */
import { upcastEvent } from '../domain/events/catalogue.js';
import type { CorrectionIssuedData } from '../domain/events/corrections.js';
import type { Ledger } from '../domain/ports.js';
import { correctionStream } from '../domain/streams.js';

export type CorrectionEntry = CorrectionIssuedData & {
  readonly position: number;
  readonly eventId: string;
  readonly recordedAt: number;
  readonly actor: string;
  readonly source: string;
};

/** Corrections of `symbol` recorded in [from, to) (epoch ms), oldest first. */
export const correctionsRecorded = async (ledger: Ledger, symbol: string, from: number, to: number): Promise<CorrectionEntry[]> => {
  const out: CorrectionEntry[] = [];
  for (const e of await ledger.readStream(correctionStream(symbol))) {
    if (e.meta.recordedAt < from || e.meta.recordedAt >= to) continue;
    const up = upcastEvent(e);
    if (up?.type !== 'CorrectionIssued') continue;
    out.push({ ...up.data, position: e.position, eventId: e.id, recordedAt: e.meta.recordedAt, actor: e.meta.actor, source: e.meta.source });
  }
  return out;
};

/**
 * What "its proof is one call away" promises an answer that names an event by its ledger
 * position: the inclusion proof at that position verifies against its signed checkpoint (the
 * offline verifier, src/proof-verifier/verifyProof.ts), and the event it carries is returned so a
 * test can check it is the one the answer named.
 */
import { expect } from 'vitest';
import type { InclusionProof } from '../../src/domain/ports.js';
import { leafHashOf, verifyInclusion } from '../../src/proof-verifier/verifyProof.js';

export interface ProvenEvent {
  readonly id: string;
  readonly type: string;
  readonly position: number;
  readonly data: Record<string, unknown>;
}

export const provenEventOf = (proof: InclusionProof): ProvenEvent => {
  const path = proof.path.map((h) => Buffer.from(h, 'hex'));
  const verdict = verifyInclusion(proof.leafIndex, proof.checkpoint.size, leafHashOf(Buffer.from(proof.eventBytes)), path, Buffer.from(proof.checkpoint.root, 'hex'));
  expect(verdict).toEqual({ ok: true });
  return JSON.parse(proof.eventBytes) as ProvenEvent;
};

/** The event at `position`, from its verified inclusion proof. */
export const provenEventAt = async (ledger: { inclusionProof(position: number): Promise<InclusionProof> }, position: number): Promise<ProvenEvent> =>
  provenEventOf(await ledger.inclusionProof(position));

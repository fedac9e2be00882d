/**
 * An inclusion proof as a C2SP tlog-proof file (`c2sp.org/tlog-proof@v1`): the event's canonical
 * bytes in the `extra` line, the leaf index, the audit path and the signed checkpoint. Everything
 * src/proof-verifier/verifyProof.ts needs, with the public key, to check it offline.
 */
import type { InclusionProof } from '../domain/ports.js';

export const tlogProofText = (proof: InclusionProof): string =>
  [
    'c2sp.org/tlog-proof@v1',
    `extra ${Buffer.from(proof.eventBytes, 'utf8').toString('base64')}`,
    `index ${proof.leafIndex}`,
    ...proof.path.map((h) => Buffer.from(h, 'hex').toString('base64')),
    '',
    proof.checkpoint.note,
  ].join('\n');

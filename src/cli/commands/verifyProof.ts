/**
 * `tickvault verify-proof FILE --public-key KEY`: checks a proof file offline, with nothing but
 * src/proof-verifier/verifyProof.ts: no platform, no database. KEY is the verifier key text or a
 * file holding it. Exit 0 when the proof holds, 1 with the reason when it does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../../app/config.js';
import { InvalidInputError } from '../../domain/errors.js';
import { verifyProofFile } from '../../proof-verifier/verifyProof.js';
import type { ParsedArgs } from '../args.js';

export const runVerifyProof = async (_config: Config, args: ParsedArgs): Promise<number> => {
  const [file] = args.positionals;
  const key = args.values['public-key'];
  if (file === undefined || typeof key !== 'string') throw new InvalidInputError('verify-proof: tickvault verify-proof proof.txt --public-key <key or key file> (the key from `tickvault ledger key`)');
  if (!existsSync(file)) throw new InvalidInputError(`verify-proof: no file ${file}`);
  const verifierKey = existsSync(key) ? readFileSync(key, 'utf8').trim() : key;
  const verdict = verifyProofFile(readFileSync(file, 'utf8'), verifierKey);
  if (!verdict.ok) {
    process.stdout.write(`proof REJECTED: ${verdict.reason}\n`);
    return 1;
  }
  const { checkpoint, index, entry } = verdict;
  process.stdout.write(`proof OK: entry ${index} (ledger position ${index + 1}) is in the tree of ${checkpoint.size} events signed by ${checkpoint.origin}\n${entry.toString('utf8')}\n`);
  return 0;
};

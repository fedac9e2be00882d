/**
 * `tickvault proof <event-id|position> [--out FILE]`: a self-contained C2SP tlog-proof file that
 * the event is in the ledger's newest signed checkpoint, checkable offline with `verify-proof`.
 */
import { writeFileSync } from 'node:fs';
import { tlogProofText } from '../../read-models/tlogProof.js';
import { openProfileLedger } from '../../app/profiles/profileLedger.js';
import type { Config } from '../../app/config.js';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';

export const runProof = async (config: Config, args: ParsedArgs): Promise<number> => {
  const [target] = args.positionals;
  if (target === undefined) throw new InvalidInputError('proof: name the event, by id or by ledger position: tickvault proof <event-id|position> --out proof.txt');
  const ledger = await openProfileLedger(config);
  try {
    let position = /^[1-9][0-9]*$/.test(target) ? Number(target) : undefined;
    if (position === undefined) {
      const event = await ledger.findById(target);
      if (event === undefined) throw new NotFoundError(`no event with id ${target} in the ledger`);
      position = event.position;
    }
    const proof = await ledger.inclusionProof(position);
    const text = tlogProofText(proof);
    const out = args.values['out'];
    if (typeof out === 'string') {
      writeFileSync(out, text);
      process.stderr.write(`wrote ${out}: event at position ${position} in the signed tree of ${proof.checkpoint.size} events\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } finally {
    await ledger.close();
  }
};

/** `tickvault ledger key`: print the verifier key the ledger's checkpoints are signed with. */
import { ledgerKeyFileOf, ledgerSignerOf } from '../../app/profiles/ledgerSigner.js';
import type { Config } from '../../app/config.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';

export const runLedger = async (config: Config, args: ParsedArgs): Promise<number> => {
  const [sub] = args.positionals;
  if (sub !== 'key') throw new InvalidInputError(`ledger: unknown subcommand ${JSON.stringify(sub ?? '')}; try \`tickvault ledger key\``);
  process.stdout.write(`${ledgerSignerOf(config).verifierKey}\n`);
  process.stderr.write(`(the public half of ${ledgerKeyFileOf(config)}: give it to whoever checks proofs with \`tickvault verify-proof\`)\n`);
  return 0;
};

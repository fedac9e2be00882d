/**
 * `tickvault verify`: recompute every leaf, the tree and every signed checkpoint of the ledger;
 * exit 1 and name the first bad position.
 */
import { openProfileLedger } from '../../app/profiles/profileLedger.js';
import type { Config } from '../../app/config.js';
import type { ParsedArgs } from '../args.js';
import { createProgressBar } from '../progressBar.js';

export const runVerify = async (config: Config, args: ParsedArgs): Promise<number> => {
  const ledger = await openProfileLedger(config);
  try {
    const head = await ledger.head();
    const bar = createProgressBar({ label: 'verifying', total: head.position });
    const result = await ledger.verify({ onProgress: (checked) => bar.update(checked) });
    bar.finish();
    if (args.values['json'] === true) process.stdout.write(JSON.stringify(result) + '\n');
    else if (result.ok) process.stdout.write(`ledger intact: ${result.checked} events, tree root ${result.head.root}, ${result.checkpoint === undefined ? 'no checkpoint yet' : `checkpoint of ${result.checkpoint.size} events signed`}\n`);
    else process.stdout.write(`ledger BROKEN at position ${result.position}: ${result.reason} (${result.checked} events checked)\n`);
    return result.ok ? 0 : 1;
  } finally {
    await ledger.close();
  }
};

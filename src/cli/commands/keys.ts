/**
 * `tickvault keys create --role R --name N | list | revoke ID [--reason WHY]`: the API keys of
 * the configured platform's ledger, as the admin routes manage them. A created key is printed once
 * (stdout, alone on its line, for scripts); only its hash is kept. A running server takes a key
 * issued or revoked here within a second (its key book re-reads the key stream).
 */
import pino from 'pino';
import type { Config } from '../../app/config.js';
import { openPlatform } from '../../app/platform.js';
import { InvalidInputError } from '../../domain/errors.js';
import type { ParsedArgs } from '../args.js';

const USAGE = 'tickvault keys create --role viewer|trader|risk|compliance|admin --name NAME | keys list | keys revoke KEY-ID';

export const runKeys = async (config: Config, args: ParsedArgs): Promise<number> => {
  const [sub, id] = args.positionals;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new InvalidInputError(`keys: unknown subcommand ${JSON.stringify(sub ?? '')}; usage: ${USAGE}`);
  if (sub === 'revoke' && (id === undefined || id === '')) throw new InvalidInputError(`keys revoke needs the key's id (\`tickvault keys list\` shows them); usage: ${USAGE}`);
  const platform = await openPlatform({ config, logger: pino({ level: config.logLevel }, pino.destination(2)), runProjections: false });
  try {
    const origin = { actor: `cli:${process.env['USER'] ?? 'unknown'}`, correlationId: `keys-${sub}-${Date.now()}`, source: 'cli' };
    if (sub === 'create') {
      const issued = await platform.keys.issue({ name: args.values['name'], role: args.values['role'] }, origin);
      process.stderr.write(`issued ${issued.keyId} ("${issued.name}", role ${issued.role}) at ledger position ${issued.position}; the key is shown this once:\n`);
      process.stdout.write(`${issued.key}\n`);
    } else if (sub === 'list') {
      const keys = platform.keys.list();
      if (keys.length === 0) process.stderr.write('no API keys yet: `tickvault start` makes the first admin key, `tickvault keys create` others\n');
      for (const k of keys) process.stdout.write(`${k.keyId}  ${k.role.padEnd(10)}  ${k.revoked ? 'revoked' : 'active '}  ${k.name}  (issued at position ${k.position}${k.revokedPosition === null ? '' : `, revoked at ${k.revokedPosition}`})\n`);
    } else {
      const reason = typeof args.values['reason'] === 'string' ? args.values['reason'] : 'revoked by hand (tickvault keys revoke)';
      const result = await platform.keys.revoke(id!, reason, origin);
      process.stderr.write(result.revoked ? `revoked ${result.keyId} at ledger position ${result.position}\n` : `${result.keyId} was revoked already\n`);
    }
    return 0;
  } finally {
    await platform.close();
  }
};

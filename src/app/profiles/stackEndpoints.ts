/**
 * Addresses of the local stack's servers, as `npm run stack -- up` (or `tickvault stack up`)
 * wrote them to {stackDir}/endpoints.json: the cluster profile's defaults when no URL is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../domain/errors.js';

/** The stack's entry for `server` (it has at least a url); a clear error naming `hint` when absent. */
export const readStackEntry = (server: string, stackDir: string, hint: string): Record<string, unknown> & { url: string } => {
  const file = path.resolve(stackDir, 'endpoints.json');
  if (!existsSync(file)) throw new InvalidInputError(`--profile cluster needs a ${server} URL: ${file} does not exist; ${hint}`);
  let endpoints: Record<string, ({ url?: unknown } & Record<string, unknown>) | undefined>;
  try {
    endpoints = JSON.parse(readFileSync(file, 'utf8')) as typeof endpoints;
  } catch (e) {
    throw new InvalidInputError(`${file}: ${e instanceof Error ? e.message : String(e)}; ${hint}`);
  }
  const entry = endpoints[server];
  if (typeof entry?.url !== 'string' || entry.url === '') throw new InvalidInputError(`--profile cluster needs a ${server} URL: ${file} has no "${server}" entry; ${hint}`);
  return entry as Record<string, unknown> & { url: string };
};

/** The configured URL, else the stack's endpoint for `server`; a clear error when neither exists. */
export const resolveServerUrl = (configured: string, server: string, stackDir: string, setting: { flag: string; env: string }): string =>
  configured !== '' ? configured : readStackEntry(server, stackDir, `set --${setting.flag} or ${setting.env}, or start the local stack (npm run stack -- up)`).url;

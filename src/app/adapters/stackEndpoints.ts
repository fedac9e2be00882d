/**
 * Addresses of the local stack's servers, as `npm run stack -- up` (or `tickvault stack up`)
 * wrote them to {stackDir}/endpoints.json: the cluster profile's defaults when no URL is set.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidInputError } from '../../domain/errors.js';

/** The configured URL, else the stack's endpoint for `server`; a clear error when neither exists. */
export const resolveServerUrl = (configured: string, server: string, stackDir: string, setting: { flag: string; env: string }): string => {
  if (configured !== '') return configured;
  const file = path.resolve(stackDir, 'endpoints.json');
  const hint = `set --${setting.flag} or ${setting.env}, or start the local stack (npm run stack -- up)`;
  if (!existsSync(file)) throw new InvalidInputError(`--profile cluster needs a ${server} URL: ${file} does not exist; ${hint}`);
  let endpoints: Record<string, { url?: unknown } | undefined>;
  try {
    endpoints = JSON.parse(readFileSync(file, 'utf8')) as typeof endpoints;
  } catch (e) {
    throw new InvalidInputError(`${file}: ${e instanceof Error ? e.message : String(e)}; ${hint}`);
  }
  const url = endpoints[server]?.url;
  if (typeof url !== 'string' || url === '') throw new InvalidInputError(`--profile cluster needs a ${server} URL: ${file} has no "${server}" entry; ${hint}`);
  return url;
};

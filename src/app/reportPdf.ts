/**
 * `tickvault report --pdf`: which running platform to print from and with which key, then the
 * browser adapter prints the dashboard's Reports page. The key is the caller's (--key or
 * TICKVAULT_KEY), else the first admin key in the data folder when this user can read it (the
 * operator on the platform's own machine); it is never printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { printReportPdf, type ReportPdfResult } from '../adapters/browser/reportPdf.js';
import type { Config } from './config.js';
import { ADMIN_KEY_FILE } from './firstAdminKey.js';

export interface ReportRequest {
  readonly symbol: string;
  readonly from: string;
  readonly to: string;
  readonly out: string;
  /** Default: the platform these settings describe (host and port). */
  readonly url: string | undefined;
  readonly key: string | undefined;
}

/** The address a local client reaches a server listening on `host` at. */
const reachable = (host: string): string => (host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host);

export const platformUrl = (config: Pick<Config, 'host' | 'port'>): string => `http://${reachable(config.host)}:${config.port}/`;

/** The key to print with, and where it came from (for the user, without the key itself). */
export const reportKey = (given: string | undefined, env: Record<string, string | undefined>, dataDir: string): { key: string | undefined; from: string } => {
  if (given !== undefined && given !== '') return { key: given, from: '--key' };
  const fromEnv = env['TICKVAULT_KEY'];
  if (fromEnv !== undefined && fromEnv !== '') return { key: fromEnv, from: 'TICKVAULT_KEY' };
  const file = path.join(dataDir, ADMIN_KEY_FILE);
  if (existsSync(file)) {
    try {
      return { key: readFileSync(file, 'utf8').trim(), from: file };
    } catch {
      // Not this user's to read: go on without a key, and the compliance sections say so.
    }
  }
  return { key: undefined, from: 'none' };
};

export const printReport = async (config: Config, r: ReportRequest, onStep: (message: string) => void): Promise<ReportPdfResult & { keyFrom: string; baseUrl: string }> => {
  const baseUrl = r.url ?? platformUrl(config);
  try {
    const live = await fetch(new URL('health/live', baseUrl), { signal: AbortSignal.timeout(5_000) });
    if (!live.ok) throw new Error(`/health/live answered ${live.status}`);
  } catch (e) {
    throw new Error(`no tickvault answers at ${baseUrl} (${e instanceof Error ? e.message : String(e)}): start it (\`npm start\`) or point --url at a running one`);
  }
  const { key, from } = reportKey(r.key, process.env, config.dataDir);
  onStep(`key: ${key === undefined ? 'none (the compliance sections will say they are not readable)' : `from ${from}`}`);
  const result = await printReportPdf({ baseUrl, symbol: r.symbol, from: r.from, to: r.to, key, out: r.out, onStep });
  return { ...result, keyFrom: from, baseUrl };
};

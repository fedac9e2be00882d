/**
 * Starting and stopping bench/support/apiServer.ts in a process of its own, so a load generator
 * never shares the served event loop, and one autocannon run's figures.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

export type ServerMode = 'bare' | 'platform' | 'existing';

/** The platform's answer carries a key for its requests (apiServer.ts); the bare server's does not. */
export const startServer = (mode: ServerMode, dataDir: string, profile = 'embedded'): Promise<{ child: ChildProcess; port: number; headers: Record<string, string> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'apiServer.ts'), mode, dataDir, profile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error(`${mode} server not ready after 300 s`)), 300_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)(?: (\S+))?\n/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), headers: m[2] === undefined ? {} : { authorization: `Bearer ${m[2]}` } });
      }
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code} before it was ready`)));
  });

export const stopServer = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

export interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface LoadOptions {
  readonly durationS: number;
  readonly connections?: number;
  readonly overallRate?: number;
  readonly headers?: Record<string, string>;
  /** A path for each request (e.g. a different position each time); the url's path when absent. */
  readonly nextPath?: () => string;
}

export const load = async (url: string, o: LoadOptions): Promise<Load> => {
  const next = o.nextPath;
  const r = await autocannon({
    url,
    duration: o.durationS,
    connections: o.connections ?? 50,
    headers: o.headers ?? {},
    ...(o.overallRate === undefined ? {} : { overallRate: o.overallRate }),
    ...(next === undefined ? {} : { requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }] }),
  });
  const errors = r.errors + r.timeouts + r.non2xx;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors };
};

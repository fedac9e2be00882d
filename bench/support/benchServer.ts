/**
 * Starting and stopping bench/support/apiServer.ts in a process of its own, so a load generator
 * never shares the served event loop, and one autocannon run's figures.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ProbeStats } from './serverProbe.js';

const here = path.dirname(new URL(import.meta.url).pathname);

export type ServerMode = 'bare' | 'platform' | 'existing' | 'join' | 'models';

export interface BenchServer {
  readonly child: ChildProcess;
  readonly port: number;
  /** The first key's Authorization header ({} for the bare server). */
  readonly headers: Record<string, string>;
  /** Every key the platform issued for the bench's requests. */
  readonly keys: readonly string[];
  /** The cluster state's name, for a second process to `join`. */
  readonly name?: string;
}

/** The platform's answer carries keys for its requests (apiServer.ts); the bare server's does not. */
export const startServer = (mode: ServerMode, dataDir: string, profile = 'embedded', joinName?: string): Promise<BenchServer> =>
  new Promise((resolve, reject) => {
    const args = [path.join(here, 'apiServer.ts'), mode, dataDir, profile, ...(joinName === undefined ? [] : [joinName])];
    // BENCH_CPU_PROFILE=DIR: each server writes a V8 CPU profile there when it stops (where its time went).
    const profileDir = process.env['BENCH_CPU_PROFILE'];
    // (Node's own file names: one profile per thread, tsx's loader thread included.)
    const profiling = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    const child = spawn(process.execPath, [...profiling, '--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const timer = setTimeout(() => reject(new Error(`${mode} server not ready after 600 s`)), 600_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)(?: (\S+) (\S+))?\n/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        const keys = m[2] === undefined || m[2] === '-' ? [] : m[2].split(',');
        resolve({ child, port: Number(m[1]), headers: keys[0] === undefined ? {} : { authorization: `Bearer ${keys[0]}` }, keys, ...(m[3] === undefined ? {} : { name: m[3] }) });
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

/** Asks a server's probe (serverProbe.ts) to start a phase afresh, or for the phase's figures. */
export function probe(child: ChildProcess, what: 'reset'): Promise<void>;
export function probe(child: ChildProcess, what: 'stats'): Promise<ProbeStats>;
export function probe(child: ChildProcess, what: 'reset' | 'stats'): Promise<ProbeStats | void> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { probe?: string }): void => {
      if (msg.probe !== what) return;
      child.off('message', onMessage);
      resolve(what === 'stats' ? (msg as ProbeStats) : undefined);
    };
    child.on('message', onMessage);
    if (!child.send({ probe: what })) reject(new Error(`the server's IPC channel is closed: cannot ask its probe for ${what}`));
  });
}

export interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Failed, timed out or non-2xx answers (429s included). */
  readonly errors: number;
  /** Of those, 429s: the rate limiter said no. */
  readonly rateLimited: number;
}

export interface LoadOptions {
  readonly durationS: number;
  readonly connections?: number;
  readonly overallRate?: number;
  readonly headers?: Record<string, string>;
  /** A path for each request (e.g. a different position each time); the url's path when absent. */
  readonly nextPath?: () => string;
  /** Headers for each request (e.g. the next of many keys); `headers` when absent. */
  readonly nextHeaders?: () => Record<string, string>;
}

export const load = async (url: string, o: LoadOptions): Promise<Load> => {
  const next = o.nextPath;
  const nextHeaders = o.nextHeaders;
  const perRequest = next === undefined && nextHeaders === undefined
    ? undefined
    : [{ setupRequest: (req: { path?: string; headers?: Record<string, string> }) => ({ ...req, ...(next === undefined ? {} : { path: next() }), ...(nextHeaders === undefined ? {} : { headers: nextHeaders() }) }) }];
  const r = await autocannon({
    url,
    duration: o.durationS,
    connections: o.connections ?? 50,
    headers: o.headers ?? {},
    ...(o.overallRate === undefined ? {} : { overallRate: o.overallRate }),
    ...(perRequest === undefined ? {} : { requests: perRequest }),
  });
  const errors = r.errors + r.timeouts + r.non2xx;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors, rateLimited: r.statusCodeStats?.['429']?.count ?? 0 };
};

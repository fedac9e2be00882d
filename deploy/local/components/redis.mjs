// Redis from the Debian package, on loopback, with its append-only file fsynced every second.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runningPid, startDetached, stopByPidFile } from '../lib/processes.mjs';
import { portOpen, tcpCheck, waitFor } from '../lib/wait.mjs';
import { commandPath } from '../lib/commands.mjs';

const START_TIMEOUT_MS = 20_000;

const paths = (dir) => ({ data: path.join(dir, 'data'), log: path.join(dir, 'redis.log'), pid: path.join(dir, 'redis.pid') });

/** PING over a raw socket, so the stack scripts need no npm client: healthy when it answers +PONG. */
const ping = (host, port, timeoutMs = 1_000) => tcpCheck(host, port, { timeoutMs, send: 'PING\r\n', answered: (a) => a.startsWith('+PONG') });

export default {
  name: 'redis',
  order: 10,
  describe: 'Redis 7 from the Debian package (redis-server), on loopback',
  async install(ctx) {
    if (commandPath('redis-server') !== undefined) return;
    ctx.log('redis-server not found: apt-get install -y redis-server');
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
    if (commandPath('redis-server') === undefined) throw new Error('redis-server is still not on the PATH after apt-get install redis-server');
  },
  async start(ctx) {
    const { host, ports } = ctx.settings;
    const p = paths(ctx.dir);
    if (runningPid(p.pid) !== undefined) {
      ctx.log(`already running (pid ${runningPid(p.pid)})`);
      return;
    }
    if (await portOpen(host, ports.redis)) {
      throw new Error(`port ${ports.redis} is taken by another process: set TICKVAULT_REDIS_PORT to a free port`);
    }
    mkdirSync(p.data, { recursive: true });
    const pid = startDetached({
      cmd: commandPath('redis-server'),
      args: ['--port', String(ports.redis), '--bind', host, '--dir', p.data, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no'],
      logFile: p.log,
      pidFile: p.pid,
    });
    ctx.log(`started pid ${pid} on ${host}:${ports.redis}`);
    await waitFor({ what: 'redis', check: () => ping(host, ports.redis), timeoutMs: START_TIMEOUT_MS, logFile: p.log, stillRunning: () => runningPid(p.pid) !== undefined });
  },
  async stop(ctx) {
    if (await stopByPidFile(paths(ctx.dir).pid, 10_000)) ctx.log('stopped');
  },
  async status(ctx) {
    const { host, ports } = ctx.settings;
    const pid = runningPid(paths(ctx.dir).pid);
    if (pid === undefined) return { ok: false, detail: 'not running' };
    const ok = await ping(host, ports.redis);
    const url = `redis://${host}:${ports.redis}`;
    return ok ? { ok, detail: `pid ${pid}, ${url}`, endpoints: { redis: { url } } } : { ok, detail: `pid ${pid} does not answer PING on ${url}; see ${paths(ctx.dir).log}` };
  },
};

// PostgreSQL 15 from the Debian package, on loopback, its cluster under the component's folder.
// PostgreSQL's tools refuse to run as root, so everything runs as the `postgres` user.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runningPid, startDetached, stopByPidFile } from '../lib/processes.mjs';
import { portOpen, waitFor } from '../lib/wait.mjs';

const START_TIMEOUT_MS = 30_000;
const DATABASE = 'tickvault';
const OS_USER = 'postgres';

const paths = (dir) => ({
  data: path.join(dir, 'data'),
  socket: path.join(dir, 'socket'),
  log: path.join(dir, 'postgres.log'),
  pid: path.join(dir, 'postgres.pid'),
});

/** The folder holding initdb and pg_ctl: from the package's file list, else the newest under /usr/lib/postgresql. */
const binDir = () => {
  try {
    const initdb = execFileSync('dpkg', ['-L', 'postgresql-15'], { encoding: 'utf8', timeout: 10_000 })
      .split('\n')
      .find((l) => l.endsWith('/bin/initdb'));
    if (initdb !== undefined) return path.dirname(initdb);
  } catch {
    // not installed as postgresql-15: look for any version below
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
};

/** Runs a PostgreSQL tool as the postgres user, from a working directory that user can read. */
const asPostgres = (bin, args, timeout = 60_000) =>
  execFileSync('runuser', ['-u', OS_USER, '--', path.join(binDir(), bin), ...args], { cwd: '/', encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });

const psql = (ctx, sql) => asPostgres('psql', ['-h', paths(ctx.dir).socket, '-p', String(ctx.settings.ports.postgres), '-U', 'postgres', '-d', 'postgres', '-tAc', sql], 15_000).trim();

/** The postgres user's uid and gid, to hand it the folders it writes. */
const userIds = () => {
  const id = (flag) => Number(execFileSync('id', [flag, OS_USER], { encoding: 'utf8', timeout: 5_000 }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`no "${OS_USER}" system user: install postgresql-15 first`);
  }
};

/** ", ledger head N" for the default ledger schema once a cluster platform has created it, else nothing. */
const ledgerHead = (ctx) => {
  try {
    const head = asPostgres('psql', ['-h', paths(ctx.dir).socket, '-p', String(ctx.settings.ports.postgres), '-U', 'postgres', '-d', DATABASE, '-tAc', 'SELECT position FROM tickvault.head WHERE id = 1'], 15_000).trim();
    return head === '' ? '' : `, ledger head ${head}`;
  } catch {
    return '';
  }
};

const url = (ctx) => `postgres://postgres@${ctx.settings.host}:${ctx.settings.ports.postgres}/${DATABASE}`;

export default {
  name: 'postgres',
  order: 20,
  describe: 'PostgreSQL 15 from the Debian package, on loopback, trust auth for local users',
  async install(ctx) {
    if (binDir() === undefined) {
      ctx.log('PostgreSQL not found: apt-get install -y postgresql-15');
      execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql-15'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
      if (binDir() === undefined) throw new Error('initdb is still missing after apt-get install postgresql-15');
    }
    const p = paths(ctx.dir);
    if (existsSync(path.join(p.data, 'PG_VERSION'))) return;
    const { uid, gid } = userIds();
    for (const d of [p.data, p.socket]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
      chownSync(d, uid, gid);
    }
    ctx.log(`initdb ${p.data}`);
    asPostgres('initdb', ['-D', p.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale']);
  },
  async start(ctx) {
    const { host, ports } = ctx.settings;
    const p = paths(ctx.dir);
    if (runningPid(p.pid) === undefined) {
      if (await portOpen(host, ports.postgres)) {
        throw new Error(`port ${ports.postgres} is taken by another process: set TICKVAULT_POSTGRES_PORT to a free port`);
      }
      const pid = startDetached({
        cmd: 'runuser',
        args: ['-u', OS_USER, '--', path.join(binDir(), 'postgres'), '-D', p.data, '-p', String(ports.postgres), '-k', p.socket, '-c', `listen_addresses=${host}`],
        cwd: '/',
        logFile: p.log,
        pidFile: p.pid,
      });
      ctx.log(`started pid ${pid} on ${host}:${ports.postgres}`);
    } else {
      ctx.log(`already running (pid ${runningPid(p.pid)})`);
    }
    await waitFor({
      what: 'postgres',
      check: async () => psql(ctx, 'SELECT 1') === '1',
      timeoutMs: START_TIMEOUT_MS,
      logFile: p.log,
      stillRunning: () => runningPid(p.pid) !== undefined,
    });
    if (psql(ctx, `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`) !== '1') {
      psql(ctx, `CREATE DATABASE ${DATABASE}`);
      ctx.log(`created database ${DATABASE}`);
    }
  },
  async stop(ctx) {
    const p = paths(ctx.dir);
    if (runningPid(p.pid) === undefined) return;
    // A fast shutdown ends client sessions; a plain SIGTERM would wait for every client to leave.
    try {
      asPostgres('pg_ctl', ['stop', '-D', p.data, '-m', 'fast', '-w', '-t', '20'], 30_000);
    } catch (e) {
      ctx.log(`pg_ctl stop failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); stopping by pid`);
    }
    await stopByPidFile(p.pid, 10_000);
    ctx.log('stopped');
  },
  async status(ctx) {
    const p = paths(ctx.dir);
    const pid = runningPid(p.pid);
    if (pid === undefined) return { ok: false, detail: 'not running' };
    let ok = false;
    try {
      ok = psql(ctx, `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`) === '1';
    } catch {
      ok = false;
    }
    if (!ok) return { ok, detail: `pid ${pid}: database ${DATABASE} does not answer; see ${p.log}` };
    return { ok, detail: `pid ${pid}, ${url(ctx)}${ledgerHead(ctx)}`, endpoints: { postgres: { url: url(ctx) } } };
  },
};

// Starting and stopping the stack's servers: detached, logging to a file, tracked by a pid file,
// stopped by that pid and nothing else.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Fields 3 onwards of /proc/<pid>/stat (state first), or undefined where there is no /proc. */
const statFields = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
};

/**
 * True while `pid` runs. A killed server stays a zombie until whoever inherited it reaps it, and a
 * zombie still answers signal 0: it is dead all the same (a restart right after a kill must start it).
 */
export const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return statFields(pid)?.[0] !== 'Z';
};

export const readPid = (pidFile) => {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/**
 * When the kernel started `pid` (Linux /proc/<pid>/stat, field 22), or undefined where there is no
 * /proc. Pids are reused (here pid_max is 32,768 and a test run spawns thousands of processes), so
 * a recorded pid names our server only while its start time is still the one recorded with it.
 */
const startTimeOf = (pid) => statFields(pid)?.[19];

const startFileOf = (pidFile) => `${pidFile}.start`;

/** The pid in `pidFile` when that process is still running (and is still the process we started, not a later one given its pid). */
export const runningPid = (pidFile) => {
  const pid = readPid(pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const recorded = existsSync(startFileOf(pidFile)) ? readFileSync(startFileOf(pidFile), 'utf8').trim() : '';
  const now = startTimeOf(pid);
  return recorded !== '' && now !== undefined && now !== recorded ? undefined : pid;
};

/** Spawns a detached server whose stdout and stderr go to `logFile`; writes its pid to `pidFile`. */
export const startDetached = ({ cmd, args, env, cwd, logFile, pidFile }) => {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  writeFileSync(startFileOf(pidFile), startTimeOf(child.pid) ?? '');
  return child.pid;
};

/** SIGTERM, then SIGKILL after `graceMs`; removes the pid file. Only ever the pid we recorded. */
export const stopByPidFile = async (pidFile, graceMs = 15_000) => {
  const pid = runningPid(pidFile);
  if (pid !== undefined) {
    try {
      process.kill(-pid, 'SIGTERM'); // the detached process group: a wrapper script and its JVM
    } catch {
      process.kill(pid, 'SIGTERM');
    }
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (isAlive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        process.kill(pid, 'SIGKILL');
      }
    }
  }
  rmSync(pidFile, { force: true });
  rmSync(startFileOf(pidFile), { force: true });
  return pid !== undefined;
};

/**
 * A pid file names the server we started, not whichever later process the kernel gives the same
 * pid (pids wrap at 32,768 here, and a test run spawns thousands): such a process is neither
 * reported as our server nor ever signalled by `stop`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, runningPid, startDetached, stopByPidFile } from '../../deploy/local/lib/processes.mjs';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

const sleeper = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tv-proc-'));
  const pidFile = path.join(dir, 'sleep.pid');
  const pid = startDetached({ cmd: 'sleep', args: ['60'], logFile: path.join(dir, 'sleep.log'), pidFile });
  started.push(pid);
  return { pid, pidFile };
};

describe('pid files', () => {
  it('name the process that was started, and stop stops it', async () => {
    const { pid, pidFile } = sleeper();
    expect(runningPid(pidFile)).toBe(pid);
    expect(await stopByPidFile(pidFile, 2_000)).toBe(true);
    expect(runningPid(pidFile)).toBeUndefined();
  });

  it('do not name, and never signal, another process holding the recorded pid', async () => {
    const { pid, pidFile } = sleeper();
    // As if our server had died and the kernel had given its pid to a process started later.
    writeFileSync(`${pidFile}.start`, '1');
    expect(runningPid(pidFile)).toBeUndefined();
    expect(await stopByPidFile(pidFile, 2_000)).toBe(false);
    expect(isAlive(pid)).toBe(true);
  });
});

describe('a killed process not yet reaped (a zombie)', () => {
  it('is not alive', async () => {
    // `sleep 0.1` becomes a zombie: its parent execs into a `sleep 5`, which never reaps children.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
      await new Promise((r) => setTimeout(r, 1_000));
      expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /);
      expect(isAlive(zombie)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

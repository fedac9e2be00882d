// Health checks with timeouts: nothing in the stack waits silently or forever.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

/**
 * A TCP health check: true when the port accepts a connection or, with `send`, when the server's
 * first answer to it satisfies `answered`. False on refusal, error or timeout.
 */
export const tcpCheck = (host, port, { timeoutMs = 1_000, send, answered } = {}) =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => (send === undefined ? done(true) : socket.write(send)));
    socket.once('data', (b) => done(answered === undefined || answered(b.toString())));
    socket.once('error', () => done(false));
  });

export const portOpen = (host, port, timeoutMs = 1_000) => tcpCheck(host, port, { timeoutMs });

const tail = (file, lines = 25) => {
  if (file === undefined || !existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
};

/**
 * Polls `check` (true when healthy) until `timeoutMs`. On timeout the error names what was
 * awaited and the log file to read, and shows the log's last lines.
 */
export const waitFor = async ({ what, check, timeoutMs, logFile, intervalMs = 250, stillRunning }) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (stillRunning !== undefined && !stillRunning()) {
      throw new Error(`${what}: the process exited while starting; see ${logFile ?? 'its log'}\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not healthy after ${Math.round(timeoutMs / 1000)} s; see ${logFile ?? 'its log'}\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
};

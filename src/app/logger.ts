/**
 * Logs a person can read: pretty, one line per event (its fields, such as a request's `reqId` and
 * `actor`, on the same line), on a terminal and in CI logs alike; `LOG_FORMAT=json` gives
 * structured JSON lines for log shippers.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export const createLogger = (level: string, env: Record<string, string | undefined> = process.env): Logger => {
  if (env['LOG_FORMAT'] === 'json') return pino({ level });
  return pino(
    { level },
    pretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true, destination: 1, sync: true }),
  );
};

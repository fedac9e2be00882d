/**
 * Answers of the operations routes. The health answers are for probes and people: a 503 there is
 * the health answer itself (down, not ready), not an error of the request.
 */
import { arrayOf, boolean, integer, number, object, position, string, type Schema } from './common.js';

export const healthAnswer = object({
  status: { type: 'string', enum: ['ok', 'degraded'] },
  roles: { ...arrayOf(string), description: 'the process roles this process was started with (--roles): only what they run here is judged' },
  standby: { ...arrayOf(string), description: 'those of them another process runs now, this one waiting to take over' },
  ledger: object({ head: position }),
  projections: object(
    {
      live: object({ checkpoint: position, lag: integer, lateEvents: integer }),
      batch: object({ checkpoint: position, lag: integer, recomputes: integer, lastPassMs: number }),
    },
    [],
    { description: 'the projections that run in this process (live: the live role; batch: the batch role), absent where another process runs them' },
  ),
  uptimeSeconds: integer,
});
export const healthDown = object({ status: { type: 'string', const: 'down' }, reason: string }, undefined, { description: 'the ledger cannot be read' });

export const liveAnswer = object({ status: { type: 'string', const: 'ok' }, uptimeSeconds: integer });

const readiness = (status: string): Schema =>
  object({ status: { type: 'string', const: status }, checks: arrayOf(object({ name: string, ok: boolean, detail: string })) });
export const readyAnswer = readiness('ready');
export const notReadyAnswer = { ...readiness('not_ready'), description: 'a check failed: the process should get no traffic yet' };

/** The Prometheus text exposition format. */
export const metricsAnswer = { content: { 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } } } };

export const routesAnswer = object({ endpoints: arrayOf(string) });

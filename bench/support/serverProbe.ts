/**
 * What a bench's server process measures about itself while it is loaded, to find where a
 * latency tail comes from: the event loop's delay (perf_hooks.monitorEventLoopDelay: how late a
 * timer fires, i.e. how long some task held the loop), garbage-collection pauses (a
 * PerformanceObserver on 'gc'), and each request's time in Fastify's stages, from its hooks:
 *   auth      arrival → after the app's onRequest hooks (request id, key authentication)
 *   limit     → preValidation (the rate limiter: the route's own onRequest hook; Redis on the cluster profile)
 *   validate  → preHandler (query and params validation)
 *   handler   → onSend (the route's work and the answer's serialisation)
 *   send      → onResponse (the bytes handed to the socket, and the app's own onResponse hooks:
 *             its request metrics and request log line)
 * The bench process asks over IPC: {probe: 'reset'} before a measured phase, {probe: 'stats'}
 * after it; the answer is a ProbeStats message.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const STAGES = ['auth', 'limit', 'validate', 'handler', 'send', 'total'] as const;
type Stage = (typeof STAGES)[number];

export interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface ProbeStats {
  readonly probe: 'stats';
  readonly requests: number;
  /** ms, from the loop-delay histogram. */
  readonly eventLoopDelay: Spread & { readonly p999: number };
  /** GC pauses during the phase: how many, their total and longest (ms), and how many were major (mark-sweep). */
  readonly gc: { readonly count: number; readonly major: number; readonly totalMs: number; readonly maxMs: number };
  /** ms per request in each stage. */
  readonly stages: Readonly<Record<Stage, Spread>>;
  /** Requests the rate limiter let through, per wall-clock second (epoch s → count) of this process's clock. */
  readonly acceptedPerSecond: Readonly<Record<string, number>>;
}

const NODE_GC_MAJOR = 2;
const LOOP_RESOLUTION_MS = 5;
/** A 'gc' entry's kind (node's detail.kind: 1 minor, 2 major, 4 incremental, 8 weak callbacks). */
const gcKind = (e: PerformanceEntry): number | undefined => ((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind;

const spread = (values: number[]): Spread => {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  values.sort((a, b) => a - b);
  const at = (p: number): number => values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]!;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(values[values.length - 1]!) };
};
const round = (x: number): number => Number(x.toFixed(3));

/** Adds the stage hooks to `app` (after its own, so they run last in each phase) and answers the bench's IPC. */
export const installServerProbe = (app: FastifyInstance): void => {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  let gcs: Array<{ ms: number; major: boolean }> = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ ms: e.duration, major: gcKind(e) === NODE_GC_MAJOR });
  }).observe({ entryTypes: ['gc'] });
  let samples: Record<Stage, number[]> = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<Stage, number[]>;
  const marks = new WeakMap<FastifyRequest, number[]>();
  const mark = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const m = marks.get(req);
    if (m === undefined) marks.set(req, [reply.elapsedTime]);
    else m.push(reply.elapsedTime);
  };
  // A request reaching preValidation has passed the limiter (a route onRequest hook): counted as
  // accepted in the wall-clock second the limiter counted it, read just before it does (this
  // hook is the app's last onRequest, the limiter's runs next in the same turn of the loop), not
  // when its answer comes back (a stalled loop would move it into a later second).
  let accepted = new Map<number, number>();
  const countedIn = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (req, reply) => {
    countedIn.set(req, Math.floor(Date.now() / 1_000));
    await mark(req, reply);
  });
  app.addHook('preValidation', async (req, reply) => {
    const second = countedIn.get(req)!;
    accepted.set(second, (accepted.get(second) ?? 0) + 1);
    await mark(req, reply);
  });
  app.addHook('preHandler', mark);
  app.addHook('onSend', async (req, reply, payload) => {
    await mark(req, reply);
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    const m = marks.get(req);
    // A request answered before its handler (401, 429) has fewer marks: only full paths count.
    if (m?.length !== 4) return;
    const [auth, limit, validate, handler] = m as [number, number, number, number];
    const total = reply.elapsedTime;
    samples.auth.push(auth);
    samples.limit.push(limit - auth);
    samples.validate.push(validate - limit);
    samples.handler.push(handler - validate);
    samples.send.push(total - handler);
    samples.total.push(total);
  });
  process.on('message', (msg: { probe?: string }) => {
    if (msg.probe === 'reset') {
      loop.reset();
      gcs = [];
      accepted = new Map();
      samples = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Record<Stage, number[]>;
      process.send!({ probe: 'reset' });
    } else if (msg.probe === 'stats') {
      const ms = (ns: number): number => round(ns / 1e6);
      const stats: ProbeStats = {
        probe: 'stats',
        requests: samples.total.length,
        eventLoopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), p999: ms(loop.percentile(99.9)), max: ms(loop.max) },
        gc: { count: gcs.length, major: gcs.filter((g) => g.major).length, totalMs: round(gcs.reduce((s, g) => s + g.ms, 0)), maxMs: round(Math.max(0, ...gcs.map((g) => g.ms))) },
        stages: Object.fromEntries(STAGES.map((s) => [s, spread(samples[s])])) as Record<Stage, Spread>,
        acceptedPerSecond: Object.fromEntries(accepted),
      };
      process.send!(stats);
    }
  });
};

/**
 * One Prometheus registry per platform, never prom-client's global one: tests open several
 * platforms in one process, and each must export only its own numbers. Node's default process
 * metrics (CPU, memory, event loop lag, GC) join it under their standard names (`process_*`,
 * `nodejs_*`), which ready-made Node.js dashboards expect; every metric of tickvault's own is
 * named `tickvault_*` (docs in the README, rules checked by test/app/metrics/).
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export const METRIC_PREFIX = 'tickvault_';

export const createMetricsRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

export type Labels<L extends string> = Partial<Record<L, string>>;
/** What a pulled metric reads at scrape time: one value per label set. */
export type Samples<L extends string> = Iterable<readonly [Labels<L>, number]>;

interface PulledSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  readonly read: () => Samples<L> | Promise<Samples<L>>;
}

/** A gauge whose values are read from the platform when Prometheus scrapes. */
export const pulledGauge = <L extends string>(registry: Registry, spec: PulledSpec<L>): Gauge<L> =>
  new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [labels, value] of await spec.read()) this.set(labels, value);
    },
  });

/**
 * A counter whose running total is kept elsewhere (a projection's or a connector's own count)
 * and read when Prometheus scrapes: prom-client counters only go up by `inc`, so the collector
 * starts from zero and adds the total each time.
 */
export const pulledCounter = <L extends string>(registry: Registry, spec: PulledSpec<L>): Counter<L> =>
  new Counter<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [labels, value] of await spec.read()) this.inc(labels, value);
    },
  });

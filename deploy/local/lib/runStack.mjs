// The stack as one run uses it (`npm test`, `npm run stack -- up`): starts the components that are
// not running, remembers which it started and which it found running, and when the run ends stops
// only what it started (in reverse order), unless asked to keep it. Servers that were running
// before the run belong to someone else (a developer's stack, another run) and are left alone.

const names = (list) => (list.length === 0 ? 'none' : list.join(', '));

/**
 * @param {{ components: Array<{ name: string, install(ctx: unknown): Promise<void>, start(ctx: unknown): Promise<void>, stop(ctx: unknown): Promise<void>, status(ctx: unknown): Promise<{ ok: boolean }> }>, contextFor: (c: unknown) => unknown, log?: (line: string) => void }} options
 */
export const createRunStack = ({ components, contextFor, log = () => undefined }) => {
  /** @type {string[]} */
  const started = [];
  /** @type {string[]} */
  const alreadyRunning = [];
  return {
    started,
    alreadyRunning,
    /** Installs and starts each component in order; one found healthy is only recorded as running. */
    async up() {
      for (const c of components) {
        const ctx = contextFor(c);
        if ((await c.status(ctx)).ok) {
          alreadyRunning.push(c.name);
          log(`${c.name}: already running, left as it is`);
          continue;
        }
        const t0 = Date.now();
        await c.install(ctx);
        // Recorded before start returns: a start that fails halfway may have left processes behind.
        started.push(c.name);
        await c.start(ctx);
        log(`${c.name}: started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    },
    /** At the end of the run: stops what this run started, unless `keep`; returns what it did, in one sentence. */
    async release({ keep }) {
      if (keep) return `stack kept running (--keep-stack): started by this run: ${names(started)}; running before it: ${names(alreadyRunning)}`;
      const stopped = [];
      for (const c of [...components].reverse()) {
        if (!started.includes(c.name)) continue;
        await c.stop(contextFor(c));
        stopped.push(c.name);
      }
      return `stack: stopped what this run started (${names(stopped.reverse())}); left running what was running before it (${names(alreadyRunning)}); pass --keep-stack to keep everything running`;
    },
  };
};

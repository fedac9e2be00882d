/** A page draws itself into `root` and answers what stops its live parts when the user leaves. */
export type Cleanup = () => void;
export type Page = (root: HTMLElement, args: readonly string[]) => Cleanup | Promise<Cleanup>;

/** Runs `tick` now and every `ms` until the cleanup it returns is called; a failing tick is shown by the page itself. */
export const every = (ms: number, tick: () => Promise<void> | void): Cleanup => {
  let stopped = false;
  let timer: number | undefined;
  const run = async (): Promise<void> => {
    try {
      await tick();
    } finally {
      if (!stopped) timer = window.setTimeout(run, ms);
    }
  };
  void run();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
};

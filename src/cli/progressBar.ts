/**
 * A dependency-free progress bar for finite work (imports, ledger verification).
 *
 * On a terminal it redraws one line in place (`\r`), at most ten times a second:
 *   importing [########............] 42% 1.2M/2.9M 250k/s ETA 7s
 * When the stream is not a terminal (CI logs, a file) it prints a plain line each time another
 * tenth of the work is done instead, so logs stay readable. With a total of 0 (unknown) it
 * shows the count and the rate only.
 */

export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressBarOptions {
  readonly label: string;
  readonly total: number;
  readonly stream?: ProgressStream;
  /** Milliseconds clock, injectable for tests. */
  readonly now?: () => number;
}

export interface ProgressBar {
  update(done: number): void;
  /** Draws the final state and ends the line. Further calls do nothing. */
  finish(): void;
}

const BAR_WIDTH = 20;
const REDRAW_MS = 100;
/** Without a total, a non-terminal gets a line this often. */
const PLAIN_UNKNOWN_TOTAL_EVERY_MS = 10_000;

/** 950, 9.5k, 250k, 1.2M, 3.4G: one decimal below 10 of a unit, none above. */
export const formatCount = (n: number): string => {
  const units: ReadonlyArray<readonly [number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const abs = Math.abs(n);
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const v = n / size;
      // 9.96k would print as "10.0k": switch to whole numbers before that happens.
      return (Math.abs(v) < 9.95 ? v.toFixed(1) : Math.round(v).toString()) + suffix;
    }
  }
  return Math.round(n).toString();
};

/** 7s, 2m05s, 1h02m. */
export const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

const rateOf = (s: ProgressState): number => (s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0);

const fractionOf = (s: ProgressState): number => (s.total > 0 ? Math.min(1, Math.max(0, s.done / s.total)) : 0);

/** The figures after the bar: `42% 1.2M/2.9M 250k/s ETA 7s` (or `1.2M 250k/s` without a total). */
const figures = (s: ProgressState): string => {
  const rate = rateOf(s);
  if (s.total <= 0) return `${formatCount(s.done)} ${formatCount(rate)}/s`;
  const pct = Math.floor(fractionOf(s) * 100);
  const eta = rate > 0 ? formatDuration(Math.max(0, s.total - s.done) / rate) : '?';
  return `${pct}% ${formatCount(s.done)}/${formatCount(s.total)} ${formatCount(rate)}/s ETA ${eta}`;
};

/** The terminal line: `label [#####...............] 25% 1.2M/4.8M 250k/s ETA 14s`. */
export const formatBarLine = (s: ProgressState): string => {
  if (s.total <= 0) return `${s.label} ${figures(s)}`;
  const filled = Math.floor(fractionOf(s) * BAR_WIDTH);
  return `${s.label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${figures(s)}`;
};

/** The log line for non-terminals: `label 40% 1.2M/2.9M 250k/s ETA 7s`. */
export const formatPlainLine = (s: ProgressState): string => `${s.label} ${figures(s)}`;

/** The closing line: `label done: 2.9M in 12s (250k/s)`, or where it stopped when it did not finish. */
export const formatSummary = (s: ProgressState): string => {
  const took = `${formatDuration(s.elapsedMs / 1000)} (${formatCount(rateOf(s))}/s)`;
  if (s.total > 0 && s.done < s.total) {
    return `${s.label} stopped at ${Math.floor(fractionOf(s) * 100)}%: ${formatCount(s.done)}/${formatCount(s.total)} in ${took}`;
  }
  return `${s.label} done: ${formatCount(s.done)} in ${took}`;
};

export const createProgressBar = (options: ProgressBarOptions): ProgressBar => {
  const { label, total } = options;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  let lastWidth = 0;
  let lastTenth = 0;
  let finished = false;

  const state = (): ProgressState => ({ label, done, total, elapsedMs: now() - started });

  const draw = (line: string): void => {
    // Pad over the remains of a longer previous line instead of relying on ANSI codes.
    const pad = lastWidth > line.length ? ' '.repeat(lastWidth - line.length) : '';
    stream.write(`\r${line}${pad}`);
    lastWidth = line.length;
  };

  const update = (value: number): void => {
    if (finished) return;
    done = value;
    const t = now();
    if (tty) {
      if (t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      draw(formatBarLine(state()));
      return;
    }
    if (total > 0) {
      const tenth = Math.floor(fractionOf(state()) * 10);
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        stream.write(formatPlainLine(state()) + '\n');
      }
    } else if (t - (lastDraw === -Infinity ? started : lastDraw) >= PLAIN_UNKNOWN_TOTAL_EVERY_MS) {
      lastDraw = t;
      stream.write(formatPlainLine(state()) + '\n');
    }
  };

  const finish = (): void => {
    if (finished) return;
    finished = true;
    const s = state();
    if (tty) {
      draw(formatBarLine(s));
      stream.write('\n');
    }
    stream.write(formatSummary(s) + '\n');
  };

  return { update, finish };
};

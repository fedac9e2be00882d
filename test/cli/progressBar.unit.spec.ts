/** The progress bar, drawn to a fake stream with a fake clock. */
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatBarLine, formatCount, formatDuration } from '../../src/cli/progressBar.js';

const fakeStream = (isTTY: boolean) => {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => writes.push(s) };
};

const fakeClock = () => {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('progress bar formatting', () => {
  it('counts: plain below 1000, one decimal below 10 of a unit, whole numbers above', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1_234)).toBe('1.2k');
    expect(formatCount(9_960)).toBe('10k');
    expect(formatCount(250_400)).toBe('250k');
    expect(formatCount(1_200_000)).toBe('1.2M');
    expect(formatCount(2_900_000)).toBe('2.9M');
    expect(formatCount(34_000_000_000)).toBe('34G');
  });

  it('durations: seconds, then minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(7.2)).toBe('7s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3_720)).toBe('1h02m');
    expect(formatDuration(Infinity)).toBe('?');
  });

  it('the terminal line: label, bar, percent, counts, rate, ETA', () => {
    expect(formatBarLine({ label: 'importing', done: 1_218_000, total: 2_900_000, elapsedMs: 4_872 })).toBe(
      'importing [########............] 42% 1.2M/2.9M 250k/s ETA 7s',
    );
    expect(formatBarLine({ label: 'x', done: 0, total: 10, elapsedMs: 0 })).toBe('x [....................] 0% 0/10 0/s ETA ?');
    expect(formatBarLine({ label: 'x', done: 12, total: 10, elapsedMs: 1_000 })).toBe('x [####################] 100% 12/10 12/s ETA 0s');
    expect(formatBarLine({ label: 'x', done: 5_000, total: 0, elapsedMs: 1_000 })).toBe('x 5.0k 5.0k/s');
  });
});

describe('progress bar drawing', () => {
  it('on a terminal: redraws in place with \\r, at most 10 times a second, and ends the line on finish', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const bar = createProgressBar({ label: 'importing', total: 1_000, stream, now: clock.now });
    clock.advance(1_000);
    bar.update(100);
    for (let i = 0; i < 50; i++) {
      clock.advance(10); // 500 ms in 50 updates: 5 redraws at most
      bar.update(100 + i);
    }
    const draws = stream.writes.filter((w) => w.startsWith('\r'));
    expect(draws.length).toBeGreaterThanOrEqual(5);
    expect(draws.length).toBeLessThanOrEqual(6);
    expect(draws[0]).toBe('\rimporting [##..................] 10% 100/1.0k 100/s ETA 9s');
    clock.advance(500);
    bar.update(1_000);
    bar.finish();
    bar.finish(); // idempotent
    expect(stream.writes.at(-3)).toBe('\rimporting [####################] 100% 1.0k/1.0k 500/s ETA 0s');
    expect(stream.writes.at(-2)).toBe('\n');
    expect(stream.writes.at(-1)).toBe('importing done: 1.0k in 2s (500/s)\n');
  });

  it('pads over a longer previous line instead of leaving its tail on screen', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const bar = createProgressBar({ label: 'v', total: 0, stream, now: clock.now });
    clock.advance(1_000);
    bar.update(123_456);
    clock.advance(999_000);
    bar.update(200_000);
    expect(stream.writes).toEqual(['\rv 123k 123k/s', '\rv 200k 200/s ']);
  });

  it('not on a terminal: a plain line per tenth of the work, no \\r, then a summary', () => {
    const stream = fakeStream(false);
    const clock = fakeClock();
    const bar = createProgressBar({ label: 'verifying', total: 1_000, stream, now: clock.now });
    for (let done = 5; done <= 1_000; done += 5) {
      clock.advance(10);
      bar.update(done);
    }
    bar.finish();
    expect(stream.writes.every((w) => !w.includes('\r') && w.endsWith('\n'))).toBe(true);
    expect(stream.writes).toHaveLength(10); // 10%..90%, then the summary
    expect(stream.writes[0]).toBe('verifying 10% 100/1.0k 500/s ETA 2s\n');
    expect(stream.writes.at(-1)).toBe('verifying done: 1.0k in 2s (500/s)\n');
  });

  it('a run that stops early says where it stopped', () => {
    const stream = fakeStream(false);
    const clock = fakeClock();
    const bar = createProgressBar({ label: 'importing', total: 1_000, stream, now: clock.now });
    clock.advance(1_000);
    bar.update(420);
    bar.finish();
    expect(stream.writes.at(-1)).toBe('importing stopped at 42%: 420/1.0k in 1s (420/s)\n');
  });
});

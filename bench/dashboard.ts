/**
 * `npm run bench -- dashboard`: time from navigation to the first candle drawn on the Symbol page
 * (the page's `first-candle` performance mark, set in the frame after the candles are on the
 * chart), p50 and p99 over 20 loads, each in a fresh browser context (nothing cached), against a
 * running embedded platform fed by the simulator. Baseline: fetching the same candles with no
 * page (the same URL, gzip, from this process). Goal: p99 ≤ 1.5 s locally.
 *   BENCH_LOADS   loads (default 20)
 */
import { launchChromium, requireWebBuild, startPlatform } from '../test/support/dashboardPlatform.js';
import { percentile } from './support/simulatedTrades.js';

const LOADS = Number(process.env['BENCH_LOADS'] ?? 20);
const DAY_MS = 86_400_000;

requireWebBuild();
const platform = await startPlatform(['--symbols', '3', '--trades-per-second', '50']);
const browser = await launchChromium();
try {
  let symbols: string[] = [];
  while (symbols.length === 0) {
    symbols = ((await (await fetch(`${platform.url}/api/v1/symbols`)).json()) as { symbols: string[] }).symbols;
    await new Promise((r) => setTimeout(r, 200));
  }
  const symbol = symbols[0]!;
  // A fresh simulator: the day asked holds its first minutes of candles only, so the figure is
  // the page's own cost (scripts, chart, sockets) more than the candles'.
  await new Promise((r) => setTimeout(r, 5_000));

  const page: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await context.newPage();
    await tab.goto(`${platform.url}/#/symbol/${symbol}/1m`);
    await tab.waitForFunction('performance.getEntriesByName("first-candle").length > 0', undefined, { timeout: 30_000 });
    page.push(await tab.evaluate<number>('performance.getEntriesByName("first-candle")[0].startTime'));
    await context.close();

    // The candles the page asks for, without the page: the same span, interval and encoding.
    const now = Date.now();
    const started = performance.now();
    const r = await fetch(`${platform.url}/api/v1/ohlcv/${symbol}?interval=1m&from=${now - DAY_MS}&to=${now + 60_000}`, { headers: { 'accept-encoding': 'gzip' } });
    await r.json();
    bare.push(performance.now() - started);
  }
  const p99 = percentile(page, 99);
  const baseP99 = percentile(bare, 99);
  console.log(`first candle drawn: p50 ${percentile(page, 50).toFixed(0)} ms, p99 ${p99.toFixed(0)} ms over ${LOADS} loads; the candles alone: p50 ${percentile(bare, 50).toFixed(1)} ms, p99 ${baseP99.toFixed(1)} ms`);
  console.log(JSON.stringify({ bench: 'dashboard', value: Math.round(p99), unit: 'ms to first candle (p99)', baseline: Math.round(baseP99 * 10) / 10, ratio: Math.round((p99 / baseP99) * 100) / 100, p50: Math.round(percentile(page, 50)), baselineP50: Math.round(percentile(bare, 50) * 10) / 10, loads: LOADS, goalMs: 1500 }));
} finally {
  await browser.close();
  await platform.stop();
}

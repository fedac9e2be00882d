/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a running
 * embedded platform fed by the simulator: every page loads with data and no console error (a
 * screenshot of each under test-results/dashboard/, at 1280×800 and phone width), a live candle
 * moves, the simulator's first flash crash appears on the Alerts page, a rule registered in the
 * editor (after the key prompt names the role) is in /api/v1/alert-rules, an inclusion proof
 * verifies in the page and a tampered copy is rejected, and the Compliance page shows a
 * difference after a correction. The Models page, on its own platform fed by a week of real
 * Binance klines moved to end now, shows a model trained through the API beside the naive
 * forecast, its importances and its prediction.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstStreamedTrade, knownSymbols, launchChromium, requireWebBuild, startPlatform, type RunningPlatform } from '../support/dashboardPlatform.js';
import { repoRoot, requireSharedData } from '../support/sharedData.js';

const SHOTS = path.join(repoRoot, 'test-results', 'dashboard');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let platform: RunningPlatform;
let browser: Browser;
let symbols: string[];

const api = async <T>(url: string, init: RequestInit = {}, on: RunningPlatform = platform): Promise<T> => {
  const r = await fetch(`${on.url}${url}`, { ...init, headers: { authorization: `Bearer ${on.adminKey}`, 'content-type': 'application/json', ...init.headers } });
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
};

/** A page whose console errors and uncaught exceptions are collected; `key` is put in the tab's session first. */
const open = async (options: { key?: boolean; viewport?: { width: number; height: number }; on?: RunningPlatform } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> => {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP });
  if (options.key !== false) await context.addInitScript(`sessionStorage.setItem('tickvault.key', ${JSON.stringify((options.on ?? platform).adminKey)})`);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return { page, context, errors };
};

beforeAll(async () => {
  requireWebBuild();
  mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform(['--symbols', '3', '--trades-per-second', '40']);
  browser = await launchChromium();
  symbols = await knownSymbols(platform);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the dashboard in Chromium', () => {
  const PAGES: Array<[string, string]> = [
    ['markets', 'table.markets td[data-field="last"]:not(:empty)'],
    ['symbol', '#candles:not([data-candles="0"])'],
    ['alerts', '#rules-table tbody tr'],
    ['risk', '#risk-figures table.figures, #risk-figures .empty'],
    ['portfolio', '#portfolios dl.figures, #portfolios .empty'],
    ['network', '#correlation svg, #correlation dl.figures, #correlation .empty'],
    ['models', '#models table, #models .empty'],
    ['backtests', '#bt-runs p, #bt-runs table'],
    ['compliance', '#verifier-key'],
    ['reports', '#historical-report'],
  ];

  it('loads every page with its data and no console error, at 1280×800 and at phone width', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, context, errors } = await open({ viewport });
      for (const [name, ready] of PAGES) {
        const hash = name === 'symbol' ? `#/symbol/${symbols[0]}` : `#/${name}`;
        await page.goto(`${platform.url}/${hash}`);
        await page.waitForSelector(`.page[data-page="${name}"]`);
        await page.locator(ready).first().waitFor({ timeout: 20_000 });
        await page.screenshot({ path: path.join(SHOTS, `${name}-${viewport.width}.png`), fullPage: viewport === DESKTOP });
      }
      // Markets shows real prices, formatted with separators and fixed decimals.
      await page.goto(`${platform.url}/#/markets`);
      const prices = page.locator('td[data-field="last"]');
      await expect.poll(async () => (await prices.allTextContents()).some((t) => /^\d{1,3}(,\d{3})*\.\d+$/.test(t)), { timeout: 20_000 }).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 180_000);

  it('moves the newest candle as trades arrive over the WebSocket, and draws the order flow under the candles', async () => {
    const { page, context, errors } = await open();
    await page.goto(`${platform.url}/#/symbol/${symbols[0]}/1m`);
    const chart = page.locator('#candles:not([data-candles="0"])');
    await chart.waitFor();
    const before = await chart.evaluate((el) => `${el.dataset['lastTime']}/${el.dataset['lastVolume']}`);
    await expect.poll(() => chart.evaluate((el) => `${el.dataset['lastTime']}/${el.dataset['lastVolume']}`), { timeout: 20_000 }).not.toBe(before);
    expect(await page.locator('#trades tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#live-state').textContent()).toBe('live');
    // The order-flow panel under the candles has its bars too (GET /api/v1/orderflow on the same range).
    await page.locator('#orderflow:not([data-bars="0"])').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('asks for a key naming the role, then registers a rule from the editor that /api/v1/alert-rules lists', async () => {
    const { page, context, errors } = await open({ key: false });
    await page.goto(`${platform.url}/#/alerts`);
    await page.locator('#rules-table').waitFor();
    const ruleId = `dashboard-test-${Date.now()}`;
    await page.selectOption('#rule-detector', 'price-level');
    await page.fill('#rule-symbols', symbols[0]!);
    await page.fill('#rule-params', '{"level": 1}');
    await page.fill('#rule-id', ruleId);
    await page.click('#rule-register');
    // Rule changes are a trader's: the refusal, naming the role, is what the prompt shows.
    await expect.poll(() => page.locator('#key-reason').textContent()).toMatch(/trader/);
    await page.fill('#key-input', platform.adminKey);
    await page.click('#key-ok');
    await expect.poll(() => page.locator('#rule-message').textContent()).toContain(`Rule ${ruleId} registered`);
    const { rules } = await api<{ rules: Array<{ ruleId: string; detector: string; symbols: unknown }> }>('/api/v1/alert-rules');
    expect(rules.find((r) => r.ruleId === ruleId)).toMatchObject({ detector: 'price-level', symbols: [symbols[0]] });
    await expect.poll(() => page.locator(`[data-retire="${ruleId}"]`).count()).toBe(1);
    // The only errors: the browser's own log of the one refused request before the key was given.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(errors.length).toBe(1);
    await context.close();
  });

  it('verifies an inclusion proof in the browser and rejects a tampered copy', async () => {
    const { page, context, errors } = await open();
    await page.goto(`${platform.url}/#/compliance`);
    await page.locator('#verifier-key').waitFor();
    await page.fill('#proof-input', '1');
    await page.click('#proof-verify');
    await expect.poll(() => page.locator('#proof-verdict').getAttribute('data-verdict')).toBe('verified');
    const steps = await page.locator('#proof-steps li').allTextContents();
    expect(steps.some((s) => /Ed25519 signature over the checkpoint valid/.test(s))).toBe(true);
    expect(steps.every((s) => s.startsWith('✔'))).toBe(true);
    await page.click('#proof-tamper');
    await expect.poll(() => page.locator('#proof-verdict').getAttribute('data-verdict')).toBe('rejected');
    expect(await page.locator('#proof-steps li.bad').textContent()).toMatch(/not the signed root/);
    await page.screenshot({ path: path.join(SHOTS, 'compliance-proof-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the difference a correction made to what was recorded at T', async () => {
    const symbol = symbols[0]!;
    const trade = await firstStreamedTrade(platform, symbol);
    // T after the trade was recorded, before the correction.
    await new Promise((r) => setTimeout(r, 1500));
    const asOf = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 500));
    await api('/api/v1/corrections', { method: 'POST', body: JSON.stringify({ correctionId: `void-${trade.tradeId}`, action: 'void', target: { exchange: trade.exchange, symbol, tradeId: trade.tradeId }, reason: 'dashboard test: a trade voided' }) });

    const { page, context, errors } = await open();
    await page.goto(`${platform.url}/#/compliance`);
    await page.locator('#replay-symbol option').first().waitFor({ state: 'attached' });
    await page.selectOption('#replay-symbol', symbol);
    await page.fill('#replay-asof', asOf);
    await page.click('#replay-form button');
    await page.locator('table.replay').waitFor();
    // The voided trade's quantity is no longer in the day's volume as it is true now.
    const differing = await page.locator('table.replay tr.diff th').allTextContents();
    expect(differing).toContain('Day volume');
    expect(await page.locator('#corrections-since').textContent()).toContain(`void-${trade.tradeId}`);
    await page.screenshot({ path: path.join(SHOTS, 'compliance-replay-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the alert the simulator\'s first flash crash raises, live on the Alerts page', async () => {
    const { page, context, errors } = await open();
    await page.goto(`${platform.url}/#/alerts`);
    await page.locator('#rules-table').waitFor();
    // The simulator's first run crashes one of its busiest symbols 45 s after it starts, another at 2 min (firstRunSchedule.ts).
    const row = page.locator(`#alert-feed tr[data-alert]`).filter({ hasText: 'flash-move' });
    await row.first().waitFor({ timeout: 150_000 });
    await row.first().locator('button').click();
    await expect.poll(() => page.locator('#alert-detail dl.evidence dt').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'alerts-flash-crash-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

const KLINE_DAYS = Array.from({ length: 7 }, (_, d) => `binance-spot-klines-1m-2023-02/BTCUSDT-1m-2023-02-0${d + 1}.csv`);
const klines = requireSharedData(...KLINE_DAYS);
const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * A week of real BTC-USDT 1m klines moved in time so the last one is the minute before `now`: the
 * latest complete hour (a prediction's base bar) is covered whenever the test runs, and a clock
 * passing the hour during the test still finds that hour's bar.
 */
const recentKlines = (dir: string, now: number): { file: string; from: number } => {
  const lines = KLINE_DAYS.flatMap((f) => readFileSync(klines.path(f), 'utf8').split('\n').filter((l) => l.trim() !== ''));
  const shift = Math.floor(now / MINUTE) * MINUTE - MINUTE - Number(lines[lines.length - 1]!.split(',')[0]);
  const moved = lines.map((l) => {
    const cols = l.split(',');
    cols[0] = String(Number(cols[0]) + shift);
    cols[6] = String(Number(cols[6]) + shift);
    return cols.join(',');
  });
  const file = path.join(dir, 'BTCUSDT-1m-2023-02.csv');
  writeFileSync(file, `${moved.join('\n')}\n`);
  return { file, from: Number(moved[0]!.split(',')[0]) };
};

describe.skipIf(klines.skip)('the Models page on real klines', () => {
  let modelsPlatform: RunningPlatform;
  let dir: string;
  let from: number;

  beforeAll(async () => {
    klines.assertAvailable();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tv-dashboard-klines-'));
    const recent = recentKlines(dir, Date.now());
    from = recent.from;
    modelsPlatform = await startPlatform(['--source', 'replay', '--files', recent.file]);
  }, 60_000);
  afterAll(async () => {
    await modelsPlatform?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a model trained through the API, its metrics beside the naive forecast, its importances and its prediction', async () => {
    const on = modelsPlatform;
    const latestHour = Math.floor(Date.now() / HOUR) * HOUR;
    // The week is imported and the batch view (where training reads hours older than the speed layer keeps) has it all.
    const batchThrough = async (): Promise<number> => (await api<{ batch: { computedThrough: number } | null }>(`/api/v1/features/BTC-USDT?interval=1h&from=${latestHour - HOUR}&to=${latestHour}`, {}, on)).batch?.computedThrough ?? 0;
    await expect.poll(batchThrough, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(latestHour);
    const { trainingId, modelId } = await api<{ trainingId: string; modelId: string }>('/api/v1/models/trainings', { method: 'POST', body: JSON.stringify({ symbol: 'BTC-USDT', horizon: '1h', from, to: latestHour, seed: 7, folds: 3 }) }, on);
    // A failed training answers its error, which the failure message then shows.
    const training = async (): Promise<string | null> => {
      const t = await api<{ status: string; error: string | null }>(`/api/v1/models/trainings/${trainingId}`, {}, on);
      return t.status === 'failed' ? t.error : t.status;
    };
    await expect.poll(training, { timeout: 60_000, interval: 500 }).toBe('completed');
    await api('/api/v1/models/aliases', { method: 'POST', body: JSON.stringify({ modelId, alias: 'champion', version: 1, reason: 'dashboard test' }) }, on);
    const prediction = await api<{ predictionId: string; baseClose: number }>('/api/v1/predictions', { method: 'POST', body: JSON.stringify({ symbol: 'BTC-USDT', horizon: '1h', model: modelId }) }, on);
    const detail = await api<{ versions: Array<{ skill: number | null; metrics: Record<string, number | null>; naiveMetrics: Record<string, number | null>; importances: Record<string, number> }> }>(`/api/v1/models/${modelId}`, {}, on);
    const version = detail.versions[0]!;

    const { page, context, errors } = await open({ on });
    await page.goto(`${on.url}/#/models/${modelId}`);
    const versionRow = page.locator('#model-versions-table tbody tr').first();
    await versionRow.waitFor({ timeout: 20_000 });
    expect(await page.locator('#model-picker').inputValue()).toBe(modelId);
    expect(await page.locator('#model-aliases').textContent()).toContain('champion → v1');
    // Held-out metrics beside the naive forecast's, and the plain verdict where skill ≤ 0.
    const mae = version.metrics['mae']!;
    const naiveMae = version.naiveMetrics['mae']!;
    const fixed = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: Math.abs(x) < 0.01 ? 6 : 4, maximumFractionDigits: Math.abs(x) < 0.01 ? 6 : 4 });
    expect(await versionRow.textContent()).toContain(`${fixed(mae)} vs naive ${fixed(naiveMae)}`);
    expect((await versionRow.locator('.not-beats').count()) === 1).toBe(version.skill === null || version.skill <= 0);
    // Importances, largest first.
    const largest = Object.entries(version.importances).sort((a, b) => b[1] - a[1]);
    expect(await page.locator('#importances li .bar-label').allTextContents()).toEqual(largest.map(([f]) => f));
    // The prediction in the table and on the chart.
    const predicted = page.locator('#predictions-table tbody tr');
    await expect.poll(() => predicted.count()).toBe(1);
    const base = prediction.baseClose.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(await predicted.first().textContent()).toContain(base);
    expect(await predicted.first().textContent()).toContain('pending until');
    expect(await page.locator('#prediction-chart').getAttribute('data-points')).toBe('1');
    await page.screenshot({ path: path.join(SHOTS, 'models-trained-1280.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(SHOTS, 'models-trained-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

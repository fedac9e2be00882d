/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against a running
 * embedded platform fed by the simulator: every page loads with data and no console error (a
 * screenshot of each under test-results/dashboard/, at 1280×800 and phone width), a live candle
 * moves, the simulator's first flash crash appears on the Alerts page, a rule registered in the
 * editor (after the key prompt names the role) is in /api/v1/alert-rules, an inclusion proof
 * verifies in the page and a tampered copy is rejected, and the Compliance page shows a
 * difference after a correction.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstStreamedTrade, launchChromium, requireWebBuild, startPlatform, type RunningPlatform } from '../support/dashboardPlatform.js';
import { repoRoot } from '../support/sharedData.js';

const SHOTS = path.join(repoRoot, 'test-results', 'dashboard');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let platform: RunningPlatform;
let browser: Browser;
let symbols: string[];

const api = async <T>(url: string, init: RequestInit = {}): Promise<T> => {
  const r = await fetch(`${platform.url}${url}`, { ...init, headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': 'application/json', ...init.headers } });
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
};

/** A page whose console errors and uncaught exceptions are collected; `key` is put in the tab's session first. */
const open = async (options: { key?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> => {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP });
  if (options.key !== false) await context.addInitScript(`sessionStorage.setItem('tickvault.key', ${JSON.stringify(platform.adminKey)})`);
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
  for (;;) {
    symbols = (await api<{ symbols: string[] }>('/api/v1/symbols')).symbols;
    if (symbols.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
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
    ['models', '#models dl.figures, #models .empty'],
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

  it('moves the newest candle as trades arrive over the WebSocket', async () => {
    const { page, context, errors } = await open();
    await page.goto(`${platform.url}/#/symbol/${symbols[0]}/1m`);
    const chart = page.locator('#candles:not([data-candles="0"])');
    await chart.waitFor();
    const before = await chart.evaluate((el) => `${el.dataset['lastTime']}/${el.dataset['lastVolume']}`);
    await expect.poll(() => chart.evaluate((el) => `${el.dataset['lastTime']}/${el.dataset['lastVolume']}`), { timeout: 20_000 }).not.toBe(before);
    expect(await page.locator('#trades tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#live-state').textContent()).toBe('live');
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

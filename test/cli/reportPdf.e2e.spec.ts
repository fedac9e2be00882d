/**
 * `tickvault report --pdf` as a user runs it against a running platform: the PDF Chromium prints
 * holds the historical and the compliance report of the symbol, with a correction made through
 * the API and its reason, read back with pypdf (an independent reader); without a key the
 * compliance sections say they were not readable, and bad flags or no platform are refused with
 * what to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstStreamedTrade, knownSymbols, requireWebBuild, startPlatform, type RunningPlatform } from '../support/dashboardPlatform.js';
import { pythonStack, runPythonReference } from '../support/pythonReference.js';
import { runTickvault } from '../support/tickvaultProcess.js';

const CLI_TIMEOUT = 180_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-report-'));
const today = new Date().toISOString().slice(0, 10);
/** pypdf's text with runs of white space as one space: line breaks fall where the layout put them. */
const pdfText = async (file: string): Promise<string> => {
  const { pages } = await runPythonReference<{ pages: string[] }>('pdf_text.py', { path: file });
  return pages.join(' ').replace(/\s+/g, ' ');
};

describe.skipIf(pythonStack.skip)('tickvault report --pdf', () => {
  let platform: RunningPlatform;
  let symbol = '';
  const reason = 'report test: a busted print voided';

  beforeAll(async () => {
    requireWebBuild();
    platform = await startPlatform();
    symbol = (await knownSymbols(platform))[0]!;
    const trade = await firstStreamedTrade(platform, symbol);
    const corrected = await fetch(`${platform.url}/api/v1/corrections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ correctionId: `void-${trade.tradeId}`, action: 'void', target: { exchange: trade.exchange, symbol, tradeId: trade.tradeId }, reason }),
    });
    expect(corrected.status).toBe(201);
  }, CLI_TIMEOUT);
  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints both reports, the correction and its reason included, with a compliance key', async () => {
    const out = path.join(dir, 'with-key.pdf');
    const run = await runTickvault(['report', '--url', platform.url, '--key', platform.adminKey, '--symbol', symbol, '--from', today, '--to', today, '--pdf', out]);
    expect(run.stderr).not.toMatch(/refused|logged an error/);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${symbol} ${today} to ${today}: [\\d,]+ bytes of PDF written to `));
    const text = await pdfText(out);
    expect(text).toContain(`Historical report: ${symbol}`);
    expect(text).toContain(`Compliance report: ${symbol}`);
    expect(text).toContain('Corrections recorded in the range (1)');
    expect(text).toContain(reason);
    expect(text).toMatch(/Latest signed checkpoint: [\d,]+ events/);
  }, CLI_TIMEOUT);

  it('without a key, prints the reports and says the compliance parts were not readable', async () => {
    const out = path.join(dir, 'no-key.pdf');
    const empty = mkdtempSync(path.join(dir, 'no-admin-key-'));
    const run = await runTickvault(['report', '--url', platform.url, '--data-dir', empty, '--symbol', symbol, '--from', today, '--to', today, '--pdf', out], { env: { TICKVAULT_KEY: '' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/refused the key/);
    const text = await pdfText(out);
    expect(text).toContain(`Historical report: ${symbol}`);
    expect(text).toContain('Corrections: not readable with this key');
    expect(text).not.toContain(reason);
  }, CLI_TIMEOUT);

  it('refuses bad days and says what to do when no platform answers', async () => {
    const bad = await runTickvault(['report', '--symbol', symbol, '--from', '2024-13-01', '--to', today, '--pdf', path.join(dir, 'x.pdf')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from: expected a UTC day as yyyy-mm-dd, got "2024-13-01"/);
    const none = await runTickvault(['report', '--url', 'http://127.0.0.1:9/', '--symbol', symbol, '--from', today, '--to', today, '--pdf', path.join(dir, 'y.pdf')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no tickvault answers at http:\/\/127\.0\.0\.1:9\/.*start it/);
  }, CLI_TIMEOUT);
});

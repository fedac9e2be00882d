/**
 * Prints the dashboard's Reports page (the historical and the compliance report of one symbol
 * over UTC days) to PDF through headless Chromium: the same HTML a person prints from the
 * browser, so the PDF and the page never disagree. The page marks `#report[data-ready]` once
 * every section is drawn; a key dialog (no key, or one without the compliance role) is
 * dismissed, and the compliance sections then say they were not readable.
 */
import { launchChromium } from './chromium.js';

export interface ReportPdfRequest {
  /** A running tickvault, e.g. http://127.0.0.1:8080. */
  readonly baseUrl: string;
  readonly symbol: string;
  /** UTC days, yyyy-mm-dd, both inclusive. */
  readonly from: string;
  readonly to: string;
  readonly key: string | undefined;
  readonly out: string;
  readonly onStep?: (message: string) => void;
}

export interface ReportPdfResult {
  readonly bytes: number;
  /** The platform refused a route for the key given (or for none): those sections say so. */
  readonly keyRefused: boolean;
  /** Errors the page logged while drawing (a report with them is still printed, and they are shown). */
  readonly pageErrors: readonly string[];
}

/** Long enough for a year of hourly candles on a busy machine; past it something is stuck. */
const READY_WITHIN_MS = 120_000;

export const printReportPdf = async (r: ReportPdfRequest): Promise<ReportPdfResult> => {
  const step = r.onStep ?? (() => undefined);
  step('starting Chromium');
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Runs in the page, where the dashboard keeps the session's key (web/src/key.ts); a string, as Node has no sessionStorage.
    if (r.key !== undefined) await context.addInitScript(`sessionStorage.setItem('tickvault.key', ${JSON.stringify(r.key)})`);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    const url = new URL(`#/reports/${[r.symbol, r.from, r.to].map(encodeURIComponent).join('/')}`, r.baseUrl).href;
    step(`opening ${url}`);
    const response = await page.goto(url);
    if (response === null || !response.ok()) throw new Error(`the dashboard at ${r.baseUrl} answered ${response?.status() ?? 'nothing'}: is tickvault serving its dashboard there?`);
    let keyRefused = false;
    const until = Date.now() + READY_WITHIN_MS;
    step('drawing the reports');
    for (;;) {
      if ((await page.locator('#report[data-ready]').count()) > 0) break;
      const dialog = page.locator('dialog.key-dialog[open] #key-cancel');
      if ((await dialog.count()) > 0) {
        keyRefused = true;
        await dialog.click();
      }
      const failure = page.locator('.page > .error');
      if ((await failure.count()) > 0) throw new Error(`the Reports page failed: ${await failure.first().innerText()}`);
      if (Date.now() > until) throw new Error(`the reports were not drawn within ${READY_WITHIN_MS / 1000} s (page errors: ${pageErrors.join('; ') || 'none'})`);
      await page.waitForTimeout(100);
    }
    step(`printing to ${r.out}`);
    const pdf = await page.pdf({ path: r.out, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    return { bytes: pdf.length, keyRefused, pageErrors };
  } finally {
    await browser.close();
  }
};

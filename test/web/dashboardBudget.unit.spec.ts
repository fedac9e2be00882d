/**
 * The dashboard's weight as built (dist/web/, as the server sends it: gzip level 9): the first
 * load, index.html and the scripts and styles it names, must stay within 300 KB compressed. The
 * bound is checked on every asset the build made, every page's chunk included, so opening any
 * page after the first stays within it too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireWebBuild, WEB_BUILD } from '../support/dashboardPlatform.js';

const BUDGET_BYTES = 300 * 1024;
const gzipped = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

describe('the built dashboard', () => {
  beforeAll(requireWebBuild);

  it('first load, and all its scripts and styles together, at most 300 KB compressed', () => {
    const assets = readdirSync(path.join(WEB_BUILD, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    const index = readFileSync(path.join(WEB_BUILD, 'index.html'), 'utf8');
    const named = [...index.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
    expect(named.length, 'index.html names its script and stylesheet').toBeGreaterThanOrEqual(2);
    for (const n of named) expect(assets, `index.html names ${n}, which the build did not make`).toContain(n);
    const firstLoad = gzipped(path.join(WEB_BUILD, 'index.html')) + named.reduce((sum, n) => sum + gzipped(path.join(WEB_BUILD, 'assets', n)), 0);
    const everything = assets.reduce((sum, n) => sum + gzipped(path.join(WEB_BUILD, 'assets', n)), 0);
    expect(firstLoad).toBeLessThanOrEqual(everything);
    expect(everything, `all scripts and styles: ${everything} bytes compressed`).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});

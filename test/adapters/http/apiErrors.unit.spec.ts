/** The error codes of the API: each names one status and back, and docs/api.md lists exactly them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, API_ERRORS, codeOfStatus, statusOf } from '../../../src/adapters/http/apiErrors.js';
import { repoRoot } from '../../support/sharedData.js';

describe('API error codes', () => {
  it('map each to one status, and each status to one code', () => {
    const statuses = API_ERROR_CODES.map(statusOf);
    expect(new Set(statuses).size).toBe(API_ERROR_CODES.length);
    for (const code of API_ERROR_CODES) {
      expect(statusOf(code)).toBeGreaterThanOrEqual(400);
      expect(codeOfStatus(statusOf(code))).toBe(code);
    }
  });

  it('answer a status without a code of its own as a bad request (4xx) or a fault (5xx)', () => {
    expect(codeOfStatus(418)).toBe('bad_request');
    expect(codeOfStatus(502)).toBe('internal');
  });

  it('are the table of docs/api.md, with the same statuses', () => {
    const page = readFileSync(path.join(repoRoot, 'docs', 'api.md'), 'utf8');
    const rows = [...page.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(API_ERROR_CODES.map((code) => [code, API_ERRORS[code].status]));
  });
});

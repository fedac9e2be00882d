/**
 * The Grafana dashboards in deploy/grafana/ are Grafana dashboard JSON (schemaVersion, unique
 * uid, panels with positions and PromQL targets), and every metric any of their queries reads is
 * exported by a running embedded platform's /metrics: a dashboard never names a metric that
 * does not exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/adapters/http/server.js';
import { parseExposition } from '../support/prometheusText.js';
import { promqlMetricNames } from '../support/promqlMetricNames.js';
import { openTestPlatform } from '../support/platform.js';

const DIR = path.join(import.meta.dirname, '../../deploy/grafana');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

interface Target { refId: string; expr: string; datasource: { type: string } }
interface Panel { id: number; type: string; title: string; gridPos: { h: number; w: number; x: number; y: number }; targets?: Target[]; datasource?: { type: string } }
interface Dashboard { uid: string; title: string; schemaVersion: number; panels: Panel[]; templating: { list: Array<{ name: string; type: string }> } }

const dashboards = FILES.map((file) => ({ file, json: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Dashboard }));
const queries = dashboards.flatMap(({ file, json }) => json.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}" ${t.refId}`, expr: t.expr }))));

describe('Grafana dashboards', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await openTestPlatform();
    cleanup = t.cleanup;
    app = await buildServer(t.platform, { logger: false });
  });
  afterAll(async () => {
    await app.close();
    await cleanup();
  });

  it('the RED overview, the pipeline and the connectors are there', () => {
    expect(FILES).toEqual(['api-red.json', 'connectors.json', 'pipeline.json']);
  });

  it('are Grafana dashboard JSON: schemaVersion, a unique uid, panels placed on the grid with PromQL targets on the datasource variable', () => {
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    for (const { file, json } of dashboards) {
      expect(json.schemaVersion, file).toBeGreaterThanOrEqual(36);
      expect(json.title, file).toMatch(/^tickvault · /);
      expect(json.templating.list, file).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
      const ids = json.panels.map((p) => p.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      for (const p of json.panels) {
        expect(p.gridPos.x + p.gridPos.w, `${file} ${p.title}`).toBeLessThanOrEqual(24);
        if (p.type === 'row') continue;
        expect(p.datasource?.type, `${file} ${p.title}`).toBe('prometheus');
        expect(p.targets?.length, `${file} ${p.title}`).toBeGreaterThan(0);
        for (const t of p.targets!) {
          expect(t.expr.trim(), `${file} ${p.title}`).not.toBe('');
          expect(t.datasource.type).toBe('prometheus');
        }
      }
    }
  });

  it('every metric a query reads is one /metrics exports', async () => {
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    const families = parseExposition(res.body);
    const exported = new Set<string>();
    for (const f of families.values()) {
      exported.add(f.name);
      if (f.type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(f.name + suffix);
    }
    const read = queries.flatMap((q) => promqlMetricNames(q.expr).map((name) => ({ ...q, name })));
    expect(new Set(read.map((r) => r.name)).size).toBeGreaterThan(30);
    expect(read.filter((r) => !exported.has(r.name)).map((r) => `${r.where}: ${r.name}`)).toEqual([]);
  });

  it('the name reader finds the metrics of a query, and nothing else', () => {
    expect(promqlMetricNames('histogram_quantile(0.99, sum by (le, route) (rate(tickvault_http_request_duration_seconds_bucket{route!~"/x"}[$__rate_interval])))')).toEqual(['tickvault_http_request_duration_seconds_bucket']);
    expect(promqlMetricNames('sum without (instance) (a_total offset 5m) / on (job) group_left (x) b and bool c')).toEqual(['a_total', 'b', 'c']);
    expect(promqlMetricNames('max(tickvault_ledger_head_position) - max(tickvault_ledger_checkpoint_size_events) > 1e3')).toEqual(['tickvault_ledger_head_position', 'tickvault_ledger_checkpoint_size_events']);
  });
});

#!/usr/bin/env node
// `npm run stack -- up|install|down|status [NAME...]`: installs, starts, stops and reports on the local
// stack (no Docker): every server on loopback, all of it under one folder (.stack by default).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRunStack } from './lib/runStack.mjs';
import { loadSettings } from './lib/settings.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const loadComponents = async () => {
  const files = readdirSync(path.join(here, 'components')).filter((f) => f.endsWith('.mjs'));
  const mods = await Promise.all(files.map((f) => import(pathToFileURL(path.join(here, 'components', f)).href)));
  return mods.map((m) => m.default).sort((a, b) => a.order - b.order);
};

export const contextFor = (settings, component) => {
  const dir = path.join(settings.stackDir, component.name);
  mkdirSync(dir, { recursive: true });
  return { settings, dir, log: (line) => console.error(`[${component.name}] ${line}`) };
};

export const select = (components, names) => {
  if (names.length === 0) return components;
  const unknown = names.filter((n) => !components.some((c) => c.name === n));
  if (unknown.length > 0) throw new Error(`unknown component ${unknown.join(', ')} (known: ${components.map((c) => c.name).join(', ')})`);
  return components.filter((c) => names.includes(c.name));
};

/** Writes `endpoints.json` (what the tests and the cluster profile read) from every healthy component. */
export const writeEndpoints = async (settings, components) => {
  const endpoints = {};
  for (const c of components) {
    const s = await c.status(contextFor(settings, c));
    if (s.ok && s.endpoints !== undefined) Object.assign(endpoints, s.endpoints);
  }
  mkdirSync(settings.stackDir, { recursive: true });
  writeFileSync(path.join(settings.stackDir, 'endpoints.json'), JSON.stringify(endpoints, null, 2) + '\n');
  return endpoints;
};

/**
 * Installs and starts the named components (all when none are named) that are not running; returns
 * their endpoints and which components it started and which it found running.
 */
export const up = async (names = [], settings = loadSettings()) => {
  const all = await loadComponents();
  const run = createRunStack({ components: select(all, names), contextFor: (c) => contextFor(settings, c), log: (line) => console.error(`[stack] ${line}`) });
  await run.up();
  return { endpoints: await writeEndpoints(settings, all), started: run.started, alreadyRunning: run.alreadyRunning };
};

/** Installs what the named components (all when none are named) are missing, starting nothing. */
export const install = async (names = [], settings = loadSettings()) => {
  for (const c of select(await loadComponents(), names)) {
    const t0 = Date.now();
    await c.install(contextFor(settings, c));
    console.error(`[stack] ${c.name}: installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
};

export const down = async (names = [], settings = loadSettings()) => {
  const all = await loadComponents();
  for (const c of [...select(all, names)].reverse()) await c.stop(contextFor(settings, c));
};

export const status = async (names = [], settings = loadSettings()) => {
  const all = await loadComponents();
  const rows = [];
  for (const c of select(all, names)) rows.push({ name: c.name, ...(await c.status(contextFor(settings, c))) });
  return rows;
};

const USAGE = `usage: npm run stack -- up|install|down|status [NAME...] [--json]

  up       install what is missing, start, wait until healthy (a second run reuses everything)
  install  only install what is missing (downloads and packages), start nothing
  down     stop by recorded pid, in reverse order
  status   one line per component: health and detail (Kafka: consumer lag per
           group; PostgreSQL: the ledger head; HDFS: capacity, used, live DataNodes,
           under-replicated blocks)

Everything lives under TICKVAULT_STACK_DIR (default .stack); ports come from
TICKVAULT_*_PORT variables (see deploy/local/lib/settings.mjs).`;

const main = async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const [verb, ...names] = args.filter((a) => a !== '--json');
  if (verb === undefined || verb === '--help' || verb === '-h') {
    console.log(USAGE);
    return verb === undefined ? 2 : 0;
  }
  if (verb === 'up') {
    const { endpoints, started, alreadyRunning } = await up(names);
    const list = (l) => (l.length === 0 ? 'none' : l.join(', '));
    console.log(json ? JSON.stringify(endpoints) : `stack up (started: ${list(started)}; already running: ${list(alreadyRunning)}); endpoints in ${path.join(loadSettings().stackDir, 'endpoints.json')}`);
    return 0;
  }
  if (verb === 'install') {
    await install(names);
    return 0;
  }
  if (verb === 'down') {
    await down(names);
    return 0;
  }
  if (verb === 'status') {
    const rows = await status(names);
    if (json) console.log(JSON.stringify(rows));
    else for (const r of rows) console.log(`${r.ok ? 'ok  ' : 'DOWN'} ${r.name.padEnd(10)} ${r.detail}`);
    return rows.every((r) => r.ok) ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
};

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code), (e) => {
    console.error(`stack: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

// `node scripts/model-report.mjs`: retrains every model on the shared real data (../shared/data) with
// fixed seeds and rewrites the README's model tables (between the models-report markers) from the
// held-out metrics; each model's training time is printed, not written (it varies per run).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { register } from 'tsx/esm/api';
import { root } from './ensure.mjs';

register();
const { modelReport } = await import('../test/support/modelReport.ts');
const sharedData = path.resolve(root, process.env.TICKVAULT_SHARED_DATA || '../shared/data');
const tables = await modelReport(sharedData, (line) => console.log(line));
const file = path.join(root, 'README.md');
const before = readFileSync(file, 'utf8');
const START = '<!-- models-report:start -->';
const END = '<!-- models-report:end -->';
const from = before.indexOf(START);
const to = before.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} section to rewrite`);
writeFileSync(file, `${before.slice(0, from + START.length)}\n${tables}\n${before.slice(to)}`);
console.log('README.md: model tables rewritten');

// `node scripts/readme-settings.mjs`: rewrites the README's settings tables from the settings
// table (src/app/settings/settings.ts). test/app/settings/readmeSettings.unit.spec.ts fails until
// they agree.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt, root } from './ensure.mjs';

ensureBuilt();
const { withSettingsTables } = await import('../dist/app/settings/settingsMarkdown.js');
const file = path.join(root, 'README.md');
const before = readFileSync(file, 'utf8');
const after = withSettingsTables(before);
if (after === before) console.log('README.md: settings tables already up to date');
else {
  writeFileSync(file, after);
  console.log('README.md: settings tables rewritten');
}

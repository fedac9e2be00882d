// `npm start [-- flags]`: install if needed, build if needed, then run `tickvault start`.
import { ensureBuilt, ensureInstalled } from './ensure.mjs';

ensureInstalled();
ensureBuilt();
process.argv.splice(2, 0, 'start');
await import('../dist/cli/main.js');

#!/usr/bin/env node
// The `tickvault` command: builds on first use, then runs the CLI.
import { ensureBuilt, ensureInstalled } from '../scripts/ensure.mjs';

ensureInstalled();
ensureBuilt();
await import('../dist/cli/main.js');

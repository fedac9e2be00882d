/**
 * The lint rule that holds the layers' import direction (eslint.config.js, the table in
 * docs/architecture.md): each case lints one line as if it were a file at that path, with the
 * project's own configuration, so a rule that stopped matching (a renamed folder, a broken
 * pattern, a config entry shadowed by another) fails here rather than letting wrong arrows in.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repo });

const restrictedImports = async (file: string, from: string): Promise<string[]> => {
  const [result] = await eslint.lintText(`import type { X } from '${from}';\nexport type Y = X;\n`, { filePath: `${repo}/${file}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('import direction between layers', () => {
  it.each([
    ['src/domain/ports.ts', '../commands/commandContext.js'],
    ['src/domain/events/market.ts', '../../adapters/system/systemClock.js'],
    ['src/domain/ports.ts', 'node:fs'],
    ['src/commands/issueCorrection.ts', '../projections/batch/batchProjector.js'],
    ['src/projections/alerts/alertFeed.ts', '../../read-models/alertBook.js'],
    ['src/projections/alerts/webhookDispatcher.ts', '../../adapters/webhooks/httpWebhookPoster.js'],
    ['src/read-models/ohlcv.ts', '../projections/live/liveProjection.js'],
    ['src/read-models/ohlcv.ts', '../commands/commandContext.js'],
    ['src/adapters/http/routes/market.ts', '../../../app/platform.js'],
    ['src/adapters/http/server.ts', '../../cli/main.js'],
    ['src/app/platform.ts', '../cli/main.js'],
    ['src/cli/commands/start.ts', '../../adapters/http/server.js'],
    ['src/read-models/ohlcv.ts', '../../scripts/start.mjs'],
    ['web/src/pages/markets.ts', '../../../src/domain/time.js'],
    ['web/src/main.ts', '../../src/read-models/ohlcv.js'],
  ])('%s may not import %s', async (file, from) => {
    const messages = await restrictedImports(file, from);
    expect(messages).toHaveLength(1);
  });

  it.each([
    ['src/domain/events/market.ts', '../ports.js'],
    ['src/commands/issueCorrection.ts', '../domain/ports.js'],
    ['src/projections/alerts/alertEngine.ts', '../../commands/recordAlerts.js'],
    ['src/read-models/ohlcv.ts', '../domain/names.js'],
    ['src/adapters/batch-engine/spark/sparkBatchEngine.ts', '../../../projections/batch/recomputeSymbolDays.js'],
    ['src/adapters/http/routes/alerts.ts', '../../../read-models/ohlcv.js'],
    ['src/app/platform.ts', '../adapters/system/systemClock.js'],
    ['src/cli/commands/replay.ts', '../../read-models/complianceReplay.js'],
    ['src/cli/commands/start.ts', '../../app/platform.js'],
    // a layer's own subfolder named like a layer is the layer itself
    ['src/cli/commands/start.ts', '../commands/verify.js'],
    // the dashboard's own files and packages
    ['web/src/pages/markets.ts', '../market.js'],
    ['web/src/pages/symbol.ts', 'lightweight-charts'],
  ])('%s may import %s', async (file, from) => {
    expect(await restrictedImports(file, from)).toEqual([]);
  });

  it('names the rule to follow in its message', async () => {
    const [message] = await restrictedImports('src/read-models/ohlcv.ts', '../projections/live/liveProjection.js');
    expect(message).toContain('src/read-models/ may import domain');
    expect(message).toContain('docs/architecture.md');
  });
});

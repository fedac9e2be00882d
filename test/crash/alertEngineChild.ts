/**
 * Child process for the alert engine crash test: runs the embedded platform on `dataDir` with
 * snapshots every few hundred events and feeds it trades that cross a price level over and over
 * on several symbols (so the engine concludes alerts all the time), as fast as it can. Prints
 * `restored <position>` once the engine has started (0: it folded from the start) and `ready`
 * before feeding; the parent kills it with SIGKILL at a random moment. Run `round` starts its
 * trades after the previous rounds' so each run continues the same market.
 */
import pino from 'pino';
import { DEFAULT_CONFIG } from '../../src/app/config.js';
import { openPlatform } from '../../src/app/platform.js';

const [dataDir, round] = process.argv.slice(2);
const T = Date.UTC(2024, 0, 1);
const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT', 'ADA-USDT'];
const PER_ROUND = 400_000;

const platform = await openPlatform({
  config: { ...DEFAULT_CONFIG, dataDir: dataDir!, source: 'none', batchIntervalMs: 3_600_000, alertSnapshotEvents: 500, alertSnapshotIntervalMs: 100 },
  logger: pino({ level: 'silent' }),
});
process.stdout.write(`restored ${platform.alertEngine.stats().restoredFrom}\n`);
await platform.commands.registerAlertRule({ ruleId: 'level-105', detector: 'price-level', symbols: '*', params: { level: 105, bandBps: 10 }, severity: 'warning' }, { actor: 'crash-test', correlationId: 'rule', source: 'test' });
process.stdout.write('ready\n');
const first = Number(round) * PER_ROUND;
for (let i = first; i < first + PER_ROUND; i += 250) {
  const items = Array.from({ length: 250 }, (_, k) => {
    const n = i + k;
    return {
      kind: 'trade' as const,
      data: { exchange: 'binance', symbol: SYMBOLS[n % SYMBOLS.length], tradeId: String(n), price: Math.floor(n / 40) % 2 === 0 ? '100' : '110', quantity: '1', side: 'buy', eventTime: T + n * 100 },
    };
  });
  await platform.commands.recordObservations({ origin: { actor: 'crash-test', correlationId: `batch-${i}`, source: 'test' }, items });
}
process.stdout.write('finished\n');
await platform.close();

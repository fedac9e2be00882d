/**
 * Live sources end to end: the configured source(s) from settings, a fake Binance and a fake
 * Coinbase on loopback, the real embedded platform. Trades, gaps and dead letters reach the
 * ledger; replaying the same frames after a reconnect doubles nothing; /metrics shows the
 * connector counters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/adapters/http/server.js';
import { loadConfig } from '../../src/app/config.js';
import { sourceFromConfig } from '../../src/app/sources.js';
import { eventually } from '../contracts/polling.js';
import { startFakeExchange, type FakeExchange } from '../support/fakeExchange.js';
import { openTestPlatform } from '../support/platform.js';

const now = Date.now();
const binanceTrade = (id: number): string => JSON.stringify({ stream: 'btcusdt@trade', data: { e: 'trade', E: now, s: 'BTCUSDT', t: id, p: '61837.63', q: '0.02', T: now - 1_000 + id, m: false, M: true } });
const coinbaseMatch = (id: number): string => JSON.stringify({ type: 'match', trade_id: id, sequence: id * 2, time: new Date(now - 500).toISOString(), product_id: 'ETH-USD', size: '1.5', price: '2600.10', side: 'buy' });

const fakes: FakeExchange[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

describe('live sources into the ledger', () => {
  it('--source binance,coinbase: trades from both, a gap, a dead letter, no double counting after a reconnect, counters in /metrics', async () => {
    const binance = await startFakeExchange({ http: (_req, res) => void res.writeHead(503).end('maintenance') });
    const coinbase = await startFakeExchange();
    fakes.push(binance, coinbase);
    const config = loadConfig({
      env: {},
      flags: { source: 'binance,coinbase', symbols: 'BTC-USDT,ETH-USD', binanceWsUrl: binance.wsUrl, binanceRestUrl: binance.httpUrl, coinbaseWsUrl: coinbase.wsUrl, coinbaseRestUrl: coinbase.httpUrl },
    });
    const { platform, cleanup } = await openTestPlatform();
    const app = await buildServer(platform, { logger: false });
    const stop = new AbortController();
    try {
      const source = sourceFromConfig(config, now);
      expect(source?.name).toBe('binance+coinbase');
      const ingest = platform.ingest(source!, stop.signal);

      const b1 = await binance.connection(1);
      const c1 = await coinbase.connection(1);
      await eventually(() => c1.received.length === 1, { what: 'the Coinbase subscription' });
      for (const id of [1, 2, 3]) b1.socket.send(binanceTrade(id));
      b1.socket.send('{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT"}}');
      for (const id of [7, 8]) c1.socket.send(coinbaseMatch(id));
      b1.socket.terminate();
      const b2 = await binance.connection(2);
      for (const id of [2, 3, 6]) b2.socket.send(binanceTrade(id)); // 2 and 3 again; 4 and 5 lost

      const types = async (): Promise<string[]> => (await platform.ledger.read(0, 1_000)).map((e) => e.type);
      await eventually(async () => (await types()).filter((t) => t === 'TradeObserved').length === 6, { what: 'six distinct trades' });
      const events = await platform.ledger.read(0, 1_000);
      expect(events.filter((e) => e.type === 'TradeObserved').map((e) => `${(e.data as { exchange: string }).exchange}:${(e.data as { tradeId: string }).tradeId}`).sort())
        .toEqual(['binance:1', 'binance:2', 'binance:3', 'binance:6', 'coinbase:7', 'coinbase:8']);
      expect(events.find((e) => e.type === 'FeedGapDetected')?.data).toMatchObject({ exchange: 'binance', symbol: 'BTC-USDT', lastSeen: 3, resumedAt: 6, missing: 2 });
      const dead = events.find((e) => e.type === 'InputRejected');
      expect(dead?.data).toMatchObject({ source: 'binance', reason: expect.stringMatching(/t \(trade id\)/) as unknown });
      expect(events.some((e) => e.type === 'FeedGapHealed')).toBe(false); // REST answered 503

      const metrics = (await app.inject('/metrics')).body;
      expect(metrics).toMatch(/tickvault_connector_reconnects_total\{connector="binance"\} 1/);
      expect(metrics).toMatch(/tickvault_connector_gaps_total\{connector="binance"\} 1/);
      expect(metrics).toMatch(/tickvault_connector_rejected_messages_total\{connector="binance"\} 1/);
      expect(metrics).toMatch(/tickvault_connector_messages_total\{connector="coinbase"\} 2/);
      expect(metrics).toMatch(/tickvault_connector_up\{connector="coinbase"\} 1/);
      expect(metrics).toMatch(/tickvault_ingest_observations_total\{source="binance",outcome="duplicate"\} 2/);
      expect(metrics).toMatch(/tickvault_dead_letters_total\{source="binance",reason="undecodable"\} 1/);
      stop.abort();
      await ingest;
    } finally {
      stop.abort();
      await app.close();
      await cleanup();
    }
  }, 30_000);

  it('settings are validated: an unknown source, a symbol list for the simulator, sentiment without a feed', () => {
    expect(() => loadConfig({ env: {}, flags: { source: 'binance,mtgox' } })).toThrow(/source.*one or more of/);
    expect(() => loadConfig({ env: {}, flags: { source: 'simulator', symbols: 'BTC-USDT' } })).toThrow(/count/);
    expect(() => loadConfig({ env: {}, flags: { source: 'binance', symbols: 'btcusdt' } })).toThrow(/symbols/);
    expect(() => loadConfig({ env: {}, flags: { source: 'binance', binanceWsUrl: 'not a url' } })).toThrow(/binanceWsUrl/);
    expect(() => loadConfig({ env: {}, flags: { source: 'sentiment' } })).toThrow(/--sentiment-feed/);
    expect(loadConfig({ env: { TICKVAULT_SYMBOLS: 'all-usdt', TICKVAULT_SOURCE: 'binance' }, flags: {} }).symbols).toBe('all-usdt');
  });
});

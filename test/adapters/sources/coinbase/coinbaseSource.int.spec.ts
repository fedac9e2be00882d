/**
 * The Coinbase connector against a local fake Coinbase (real ws + http on loopback): subscribe and
 * resubscribe to `matches`, last_match then matches with the taker side, a dropped connection with
 * a trade-id gap healed from /products/{id}/trades, and an error message kept as a rejection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoinbaseSource } from '../../../../src/adapters/sources/coinbase/coinbaseSource.js';
import type { SourceBatch, SourceItem } from '../../../../src/domain/ports.js';
import { eventually } from '../../../contracts/polling.js';
import { startFakeExchange, type FakeExchange } from '../../../support/fakeExchange.js';

const match = (id: number, seq: number, makerSide: 'buy' | 'sell', type = 'match'): string => JSON.stringify({
  type, trade_id: id, sequence: seq, maker_order_id: 'ac928c66-ca53-498f-9c13-a110027a60e8', taker_order_id: '132fb6ae-456b-4654-b4e0-d681ac05cea1',
  time: `2024-08-08T23:55:${String(id % 60).padStart(2, '0')}.028459Z`, product_id: 'BTC-USD', size: '0.01', price: '61000.5', side: makerSide,
});
const fast = { backoff: { initialMs: 10, maxMs: 50, random: () => 0.5 }, pingIntervalMs: 20, idleTimeoutMs: 1_000 };

let exchange: FakeExchange | undefined;
let stop = new AbortController();
beforeEach(() => {
  stop = new AbortController();
});
afterEach(async () => {
  stop.abort();
  await exchange?.close();
  exchange = undefined;
});

const trades = (items: SourceItem[]): Array<{ tradeId: string; side: string }> => items.filter((i) => i.kind === 'trade').map((i) => i.data as { tradeId: string; side: string });

describe('Coinbase connector', () => {
  it('subscribes to matches, decodes last_match and match with the taker side, resubscribes and heals a gap after a drop', async () => {
    exchange = await startFakeExchange({
      http: (req, res) => {
        const url = new URL(req.url ?? '', 'http://x');
        const after = Number(url.searchParams.get('after'));
        const limit = Number(url.searchParams.get('limit'));
        const page = Array.from({ length: limit }, (_, i) => after - 1 - i).map((id) => ({ time: '2024-08-08T23:56:00.000001Z', trade_id: id, price: '61001', size: '0.5', side: 'buy' }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
      },
    });
    const batches: SourceBatch[] = [];
    const source = createCoinbaseSource({ symbols: ['BTC-USD'], wsUrl: exchange.wsUrl, restUrl: exchange.httpUrl, socket: fast });
    const run = source.run(async (b) => void batches.push(b), stop.signal);
    const items = (): SourceItem[] => batches.flatMap((b) => b.items);

    const first = await exchange.connection(1);
    await eventually(() => first.received.length === 1, { what: 'the subscription' });
    expect(JSON.parse(first.received[0]!)).toEqual({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['matches', 'heartbeat'] });
    first.socket.send('{"type":"subscriptions","channels":[{"name":"matches","product_ids":["BTC-USD"]}]}');
    first.socket.send(match(10, 50, 'sell', 'last_match'));
    first.socket.send(match(11, 57, 'buy'));
    await eventually(() => trades(items()).length === 2, { what: 'two trades' });
    expect(trades(items())).toMatchObject([{ tradeId: '10', side: 'buy' }, { tradeId: '11', side: 'sell' }]);

    first.socket.terminate();
    const second = await exchange.connection(2);
    await eventually(() => second.received.length === 1, { what: 'the resubscription' });
    second.socket.send(match(11, 57, 'buy', 'last_match'));
    second.socket.send(match(15, 90, 'sell'));
    await eventually(() => items().some((i) => i.kind === 'gapHealed'), { what: 'the healed gap' });
    expect(trades(items()).map((t) => t.tradeId)).toEqual(['10', '11', '11', '15', '12', '13', '14']);
    expect(trades(items()).slice(4).every((t) => t.side === 'sell')).toBe(true);
    expect(items().find((i) => i.kind === 'gap')?.data).toMatchObject({ exchange: 'coinbase', symbol: 'BTC-USD', lastSeen: 11, resumedAt: 15, missing: 3 });
    expect(exchange.requests).toEqual(['/products/BTC-USD/trades?after=15&limit=3']);
    expect(source.stats()).toMatchObject({ reconnects: 1, gaps: 1, recoveredTrades: 3 });
    stop.abort();
    await run;
  });

  it('an error message (refused subscription) is kept as a rejection with Coinbase\'s words', async () => {
    exchange = await startFakeExchange();
    const batches: SourceBatch[] = [];
    const source = createCoinbaseSource({ symbols: ['FOO-BAR'], wsUrl: exchange.wsUrl, healGaps: false, socket: fast });
    const run = source.run(async (b) => void batches.push(b), stop.signal);
    const c = await exchange.connection(1);
    c.socket.send('{"type":"error","message":"Failed to subscribe","reason":"FOO-BAR is not a valid product"}');
    await eventually(() => batches.length === 1, { what: 'the rejection' });
    expect(batches[0]!.items[0]).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('FOO-BAR is not a valid product') as unknown });
    expect(source.stats().rejected).toBe(1);
    stop.abort();
    await run;
  });
});

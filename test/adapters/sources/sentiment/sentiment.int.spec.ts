/**
 * Sentiment: posts decoded and scored (property-tested: garbage never throws), folded per symbol
 * and minute (the fold keeps every post: counts add up, the score is the mean), and the source
 * reading a JSON-lines file and polling a local HTTP feed.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMinuteSentiment } from '../../../../src/adapters/sources/sentiment/minuteSentiment.js';
import { decodePost, scoreText } from '../../../../src/adapters/sources/sentiment/post.js';
import { createSentimentSource } from '../../../../src/adapters/sources/sentiment/sentimentSource.js';
import { validateEventData } from '../../../../src/domain/events/catalogue.js';
import type { SentimentData } from '../../../../src/domain/events/market.js';
import type { SourceBatch } from '../../../../src/domain/ports.js';
import { eventually } from '../../../contracts/polling.js';
import { startFakeExchange } from '../../../support/fakeExchange.js';

const T = Date.UTC(2024, 7, 8, 12, 0);

describe('posts', () => {
  it('scores with the lexicon: good news above zero, bad news below, within [-1, 1]', () => {
    expect(scoreText('$BTC rally is amazing, great gains')).toBeGreaterThan(0);
    expect(scoreText('$ETH crash, terrible losses, awful')).toBeLessThan(0);
    fc.assert(fc.property(fc.string(), (s) => {
      const v = scoreText(s);
      expect(v).toBeGreaterThanOrEqual(-1);
      expect(v).toBeLessThanOrEqual(1);
    }));
  });

  it('symbols come from the post or its cashtags; garbage is refused with a reason, never thrown', () => {
    expect(decodePost(JSON.stringify({ time: '2024-08-08T12:00:05Z', text: 'good day for $btc and $ETH' }))).toMatchObject({ ok: true, post: { symbols: ['BTC-USD', 'ETH-USD'], time: T + 5_000 } });
    expect(decodePost(JSON.stringify({ time: T, text: 'nice', symbols: ['SOL-USDT'] }))).toMatchObject({ ok: true, post: { symbols: ['SOL-USDT'] } });
    expect(decodePost(JSON.stringify({ time: T, text: 'no ticker here' }))).toMatchObject({ ok: false, reason: expect.stringContaining('no symbol') as unknown });
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.record({ time: fc.anything(), text: fc.anything(), symbols: fc.anything() }).map((r) => JSON.stringify(r) ?? '')), (line) => {
      const d = decodePost(line);
      if (!d.ok) expect(d.reason.length).toBeGreaterThan(5);
    }));
  });
});

describe('minute fold', () => {
  it('every post counted once, score the mean, each minute handed out once', () => {
    const postArb = fc.record({ symbol: fc.constantFrom('BTC-USD', 'ETH-USD'), offset: fc.integer({ min: 0, max: 10 * 60_000 }), score: fc.double({ min: -1, max: 1, noNaN: true }) });
    fc.assert(fc.property(fc.array(postArb, { maxLength: 200 }), (posts) => {
      const sorted = [...posts].sort((a, b) => a.offset - b.offset);
      const fold = createMinuteSentiment('test');
      const out: SentimentData[] = [];
      for (const p of sorted) {
        const r = fold.add({ symbols: [p.symbol], time: T + p.offset, score: p.score });
        if ('closed' in r) out.push(...r.closed);
      }
      out.push(...fold.flush());
      expect(out.reduce((n, s) => n + s.posts, 0)).toBe(posts.length);
      expect(new Set(out.map((s) => `${s.symbol}${s.minute}`)).size).toBe(out.length);
      for (const s of out) {
        const mine = sorted.filter((p) => p.symbol === s.symbol && T + p.offset - ((T + p.offset) % 60_000) === s.minute);
        expect(s.score).toBeCloseTo(mine.reduce((a, p) => a + p.score, 0) / mine.length, 9);
        expect(validateEventData('SentimentObserved', s).ok).toBe(true);
      }
    }));
  });

  it('a post for a minute already handed out is refused as late', () => {
    const fold = createMinuteSentiment('test');
    fold.add({ symbols: ['BTC-USD'], time: T, score: 0.5 });
    fold.add({ symbols: ['BTC-USD'], time: T + 3 * 60_000, score: 0.5 });
    expect(fold.add({ symbols: ['BTC-USD'], time: T + 1_000, score: 0.1 })).toMatchObject({ late: expect.stringContaining('already recorded') as unknown });
  });
});

describe('sentiment source', () => {
  it('reads a JSON-lines file: minutes per symbol, bad lines rejected with file:line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tv-sent-'));
    try {
      const file = path.join(dir, 'posts.jsonl');
      writeFileSync(file, [
        { time: T + 1_000, text: '$BTC looks great' },
        { time: T + 2_000, text: '$BTC is terrible' },
        'oops',
        { time: T + 61_000, text: '$ETH good' },
      ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
      const batches: SourceBatch[] = [];
      await createSentimentSource({ feed: file }).run(async (b) => void batches.push(b), new AbortController().signal);
      const items = batches.flatMap((b) => b.items);
      expect(items.filter((i) => i.kind === 'sentiment').map((i) => (i.data as SentimentData)).map((s) => [s.symbol, s.minute, s.posts])).toEqual([['BTC-USD', T, 2], ['ETH-USD', T + 60_000, 1]]);
      expect(items.find((i) => i.kind === 'rejected')).toMatchObject({ reason: expect.stringContaining('posts.jsonl:3: post: not JSON') as unknown });
      expect(batches[0]!.source).toBe('sentiment:file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('polls an HTTP feed of JSON lines, each post counted once across polls', async () => {
    const lines = [JSON.stringify({ time: T, text: '$BTC good' }), JSON.stringify({ time: T + 5 * 60_000, text: '$BTC bad' })];
    let served = 1;
    const fake = await startFakeExchange({ http: (_req, res) => void res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(lines.slice(0, served++).join('\n')) });
    const stop = new AbortController();
    try {
      const batches: SourceBatch[] = [];
      const run = createSentimentSource({ feed: `${fake.httpUrl}/posts`, pollIntervalMs: 20 }).run(async (b) => void batches.push(b), stop.signal);
      await eventually(() => batches.some((b) => b.items.some((i) => i.kind === 'sentiment')), { what: 'a closed minute' });
      stop.abort();
      await run;
      const sentiment = batches.flatMap((b) => b.items).filter((i) => i.kind === 'sentiment').map((i) => i.data as SentimentData);
      expect(sentiment).toEqual([{ provider: '127-0-0-1', symbol: 'BTC-USD', minute: T, score: scoreText('$BTC good'), posts: 1 }]);
    } finally {
      stop.abort();
      await fake.close();
    }
  });

  it('an HTTP feed with post ids: a new post in the same millisecond as a counted one is counted, a repeated id is not', async () => {
    const post = (id: string, text: string, time = T) => JSON.stringify({ id, time, text });
    // Each poll serves everything so far, as a "latest posts" endpoint does; b arrives after a was counted.
    const polls = [[post('a', '$BTC good')], [post('a', '$BTC good'), post('b', '$BTC bad')], [post('a', '$BTC good'), post('b', '$BTC bad'), post('c', '$BTC fine', T + 5 * 60_000)]];
    let served = 0;
    const fake = await startFakeExchange({ http: (_req, res) => void res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(polls[Math.min(served++, polls.length - 1)]!.join('\n')) });
    const stop = new AbortController();
    try {
      const batches: SourceBatch[] = [];
      const run = createSentimentSource({ feed: `${fake.httpUrl}/posts`, pollIntervalMs: 20 }).run(async (b) => void batches.push(b), stop.signal);
      await eventually(() => batches.some((b) => b.items.some((i) => i.kind === 'sentiment')), { what: 'a closed minute' });
      stop.abort();
      await run;
      const sentiment = batches.flatMap((b) => b.items).filter((i) => i.kind === 'sentiment').map((i) => i.data as SentimentData);
      expect(sentiment).toEqual([{ provider: '127-0-0-1', symbol: 'BTC-USD', minute: T, score: (scoreText('$BTC good') + scoreText('$BTC bad')) / 2, posts: 2 }]);
    } finally {
      stop.abort();
      await fake.close();
    }
  });

  it('a post id that is neither a non-empty string nor an integer is refused with a reason', () => {
    for (const id of ['', -1, 1.5, null, {}, []]) {
      const d = decodePost(JSON.stringify({ id, time: T, text: '$BTC good' }));
      expect(d).toEqual({ ok: false, reason: expect.stringMatching(/^post: id must be/) });
    }
    expect(decodePost(JSON.stringify({ id: 7, time: T, text: '$BTC good' }))).toMatchObject({ ok: true, post: { id: '7' } });
  });
});

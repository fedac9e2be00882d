/**
 * Sentiment from a feed of posts: a JSON-lines file (read once, to the end) or an http(s) URL
 * serving JSON lines (polled; every poll may repeat earlier posts: a post with an id is skipped
 * when that id was seen, one without an id when it is not newer than the newest already seen). Posts
 * are scored and folded per symbol and minute into SentimentObserved; bad lines are kept as
 * rejections with their reason.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MarketSource, SourceItem } from '../../../domain/ports.js';
import { sleep } from '../wire/backoff.js';
import { getJson } from '../wire/httpJson.js';
import { createMinuteSentiment } from './minuteSentiment.js';
import { decodePost } from './post.js';

export interface SentimentSourceOptions {
  /** A file path or an http(s) URL. */
  readonly feed: string;
  readonly provider?: string;
  readonly pollIntervalMs?: number;
  readonly log?: (level: 'info' | 'warn', message: string) => void;
}

const BATCH = 500;
/**
 * How long a polled post's id is remembered, behind the newest post. Older posts fall outside the
 * minute fold's grace period anyway, so forgetting their ids cannot count one twice.
 */
const ID_MEMORY_MS = 10 * 60_000;

export const createSentimentSource = (o: SentimentSourceOptions): MarketSource => {
  const isUrl = /^https?:\/\//.test(o.feed);
  const provider = o.provider ?? (isUrl ? new URL(o.feed).hostname.replace(/[^a-z0-9_-]/gi, '-').toLowerCase() : 'file');
  const fold = createMinuteSentiment(provider);
  const source = `sentiment:${provider}`;
  const stats = { lines: 0, posts: 0, rejected: 0, minutes: 0 };
  let newest = -Infinity;
  /** Ids of posts already counted (HTTP feed), with their time, so they can be forgotten. */
  const seenIds = new Map<string, number>();

  const take = (line: string, where: string, out: SourceItem[], onlyNewerThan: number): void => {
    if (line.trim() === '') return;
    stats.lines++;
    const d = decodePost(line);
    if (!d.ok) {
      stats.rejected++;
      out.push({ kind: 'rejected', reason: `${where}: ${d.reason}`, raw: line });
      return;
    }
    const { id } = d.post;
    if (id !== undefined && isUrl) {
      if (seenIds.has(id)) return;
      seenIds.set(id, d.post.time);
    } else if (d.post.time <= onlyNewerThan) return;
    newest = Math.max(newest, d.post.time);
    stats.posts++;
    const r = fold.add(d.post);
    if ('late' in r) {
      stats.rejected++;
      out.push({ kind: 'rejected', reason: `${where}: ${r.late}`, raw: line });
      return;
    }
    for (const s of r.closed) out.push({ kind: 'sentiment', data: s });
    stats.minutes += r.closed.length;
  };

  return {
    name: 'sentiment',
    progress: () => ({ done: stats.lines, total: undefined }),
    connectorStats: () => ({ sentiment: { ...stats } }),
    async run(emit, signal) {
      if (!isUrl) {
        const lines = createInterface({ input: createReadStream(o.feed, 'utf8'), crlfDelay: Infinity });
        let batch: SourceItem[] = [];
        let n = 0;
        for await (const line of lines) {
          if (signal.aborted) break;
          take(line, `${o.feed}:${++n}`, batch, -Infinity);
          if (batch.length >= BATCH) {
            await emit({ source, items: batch });
            batch = [];
          }
        }
        if (!signal.aborted) for (const s of fold.flush()) batch.push({ kind: 'sentiment', data: s });
        if (batch.length > 0) await emit({ source, items: batch });
        return;
      }
      while (!signal.aborted) {
        const items: SourceItem[] = [];
        try {
          const body = await getJson(o.feed, { timeoutMs: 15_000, signal, headers: { accept: 'application/x-ndjson, application/json' } }).catch((e: unknown) => {
            // JSON lines are not one JSON document: fall back to the raw text.
            if (e instanceof Error && e.message.includes('not JSON')) return fetch(o.feed, { signal: AbortSignal.timeout(15_000) }).then((r) => r.text());
            throw e;
          });
          const lines = typeof body === 'string' ? body.split('\n') : Array.isArray(body) ? body.map((p) => JSON.stringify(p)) : [JSON.stringify(body)];
          const since = newest;
          lines.forEach((l, i) => take(l, `${o.feed}#${i + 1}`, items, since));
          for (const [id, time] of seenIds) if (time < newest - ID_MEMORY_MS) seenIds.delete(id);
        } catch (e) {
          if (signal.aborted) break;
          o.log?.('warn', `sentiment: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (items.length > 0) await emit({ source, items });
        await sleep(o.pollIntervalMs ?? 60_000, signal);
      }
    },
  };
};

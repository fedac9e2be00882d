/**
 * Post scores folded per (symbol, minute): mean score and post count. A minute is closed — and
 * handed out once — when a post two minutes later arrives (one minute of grace for posts out of
 * order); a post for a closed minute is refused, since its aggregate is already recorded.
 */
import type { SentimentData } from '../../../domain/events/market.js';
import type { ScoredPost } from './post.js';

const MINUTE = 60_000;

export interface MinuteSentiment {
  /** Adds a post; returns the minutes it closed, or a reason when the post is too late. */
  add(post: ScoredPost): { closed: SentimentData[] } | { late: string };
  /** Closes every open minute (end of the feed). */
  flush(): SentimentData[];
}

export const createMinuteSentiment = (provider: string): MinuteSentiment => {
  const open = new Map<string, { symbol: string; minute: number; sum: number; posts: number }>();
  let closedBefore = -Infinity;
  const close = (before: number): SentimentData[] => {
    const out: SentimentData[] = [];
    for (const [key, a] of open) {
      if (a.minute >= before) continue;
      open.delete(key);
      out.push({ provider, symbol: a.symbol, minute: a.minute, score: a.sum / a.posts, posts: a.posts });
    }
    closedBefore = Math.max(closedBefore, before);
    return out.sort((x, y) => x.minute - y.minute || x.symbol.localeCompare(y.symbol));
  };
  return {
    add(post) {
      const minute = post.time - (post.time % MINUTE);
      if (minute < closedBefore) return { late: `post of ${new Date(post.time).toISOString()} is later than its minute's grace period; that minute is already recorded` };
      for (const symbol of post.symbols) {
        const key = `${symbol}|${minute}`;
        const a = open.get(key) ?? { symbol, minute, sum: 0, posts: 0 };
        a.sum += post.score;
        a.posts++;
        open.set(key, a);
      }
      return { closed: close(minute - MINUTE) };
    },
    flush: () => close(Infinity),
  };
};

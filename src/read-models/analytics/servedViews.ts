/**
 * What the analytics routes answer: the published view when one matches the query (its window,
 * method, threshold, as-of day and symbols: publishedViews.ts), exactly as it was published, with the
 * BatchViewPublished event it was published by; otherwise the view computed on demand by the embedded
 * engine. `source` says which.
 */
import { queryCorrelation, queryNetwork, type AnalyticsQuery, type AnalyticsReaders, type Provenance } from './analyticsQuery.js';
import { correlationViewName, networkViewName, type CorrelationContent, type Hashed, type NetworkContent } from './analyticsViews.js';
import type { Publication, PublishedViews } from './publishedViews.js';

export type Served<C> = Hashed<C> & Provenance & ({ readonly source: 'published'; readonly publication: Publication } | { readonly source: 'on-demand' });

export interface ServedViewsDeps {
  readonly readers: AnalyticsReaders;
  readonly published: PublishedViews;
}

// The casts below hold because a view's name fixes its kind: `correlation/…` views are matrices, `network/…` networks.
export const serveCorrelation = async (deps: ServedViewsDeps, q: AnalyticsQuery): Promise<Served<CorrelationContent>> => {
  const hit = await deps.published.find(correlationViewName(q.window, q.method), q);
  if (hit !== undefined) return { ...(hit.content as Hashed<CorrelationContent>), ...hit.provenance, source: 'published', publication: hit.publication };
  return { ...(await queryCorrelation(deps.readers, q)), source: 'on-demand' };
};

export const serveNetwork = async (deps: ServedViewsDeps, q: AnalyticsQuery & { threshold: number }): Promise<Served<NetworkContent>> => {
  const hit = await deps.published.find(networkViewName(q.window, q.method, q.threshold), q);
  if (hit !== undefined) return { ...(hit.content as Hashed<NetworkContent>), ...hit.provenance, source: 'published', publication: hit.publication };
  return { ...(await queryNetwork(deps.readers, q)), source: 'on-demand' };
};
